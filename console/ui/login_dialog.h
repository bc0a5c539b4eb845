#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sanayicin::console {

struct ApiError;
class Session;

// Server address, administrator's username and password, "remember me";
// says clearly why a login failed, and where a remembered token is kept.
class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    LoginDialog(Session *session, QWidget *parent = nullptr);

    void setServer(const QString &url);
    void setUsername(const QString &name);
    QString tokenPlace() const { return m_tokenPlace; }
    // The sentence shown for the last failure (tests read it).
    QString errorText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void submit();
    void finished(bool ok, const ApiError &error, const QString &tokenPlace);

    Session *m_session;
    QLineEdit *m_server;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_message;
    QLabel *m_serverLabel;
    QLabel *m_usernameLabel;
    QLabel *m_passwordLabel;
    QPushButton *m_login;
    QPushButton *m_cancel;
    QString m_tokenPlace;
};

} // namespace sanayicin::console
