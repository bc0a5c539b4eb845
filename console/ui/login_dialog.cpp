#include "login_dialog.h"

#include "session.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

LoginDialog::LoginDialog(Session *session, QWidget *parent) : QDialog(parent), m_session(session)
{
    setObjectName(u"loginDialog"_s);
    m_server = new QLineEdit(this);
    m_server->setObjectName(u"loginServer"_s);
    m_username = new QLineEdit(this);
    m_username->setObjectName(u"loginUsername"_s);
    m_password = new QLineEdit(this);
    m_password->setObjectName(u"loginPassword"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_remember = new QCheckBox(this);
    m_remember->setObjectName(u"loginRemember"_s);
    m_message = new QLabel(this);
    m_message->setObjectName(u"loginMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_serverLabel = new QLabel(this);
    m_usernameLabel = new QLabel(this);
    m_passwordLabel = new QLabel(this);
    m_serverLabel->setBuddy(m_server);
    m_usernameLabel->setBuddy(m_username);
    m_passwordLabel->setBuddy(m_password);

    auto *buttons = new QDialogButtonBox(this);
    m_login = buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    m_login->setObjectName(u"loginButton"_s);
    m_login->setDefault(true);
    m_cancel = buttons->addButton(QString(), QDialogButtonBox::RejectRole);
    connect(m_login, &QPushButton::clicked, this, &LoginDialog::submit);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(session, &Session::loginFinished, this, &LoginDialog::finished);

    auto *form = new QFormLayout;
    form->addRow(m_serverLabel, m_server);
    form->addRow(m_usernameLabel, m_username);
    form->addRow(m_passwordLabel, m_password);
    form->addRow(QString(), m_remember);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    QSettings settings;
    m_server->setText(settings.value(u"server"_s, u"http://127.0.0.1:8080"_s).toString());
    m_username->setText(settings.value(u"username"_s).toString());
    retranslate();
    (m_username->text().isEmpty() ? m_username : m_password)->setFocus();
}

void LoginDialog::setServer(const QString &url)
{
    m_server->setText(url);
}

void LoginDialog::setUsername(const QString &name)
{
    m_username->setText(name);
}

QString LoginDialog::errorText() const
{
    return m_message->text();
}

void LoginDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void LoginDialog::retranslate()
{
    setWindowTitle(tr("Sanayicin console: log in"));
    m_serverLabel->setText(tr("&Server:"));
    m_usernameLabel->setText(tr("&Username:"));
    m_passwordLabel->setText(tr("&Password:"));
    m_server->setPlaceholderText(tr("https://chat.example.com"));
    m_server->setAccessibleName(tr("Server address"));
    m_username->setAccessibleName(tr("Username"));
    m_password->setAccessibleName(tr("Password"));
    m_remember->setText(tr("&Remember me on this computer"));
    m_remember->setToolTip(tr("Keeps the token in the system keyring, or, without one, in a file only you can read."));
    m_remember->setAccessibleName(tr("Remember me"));
    m_login->setText(tr("&Log in"));
    m_cancel->setText(tr("&Cancel"));
}

void LoginDialog::submit()
{
    const QUrl url = QUrl::fromUserInput(m_server->text().trimmed());
    if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        m_message->setText(tr("The server address must start with http:// or https://."));
        return;
    }
    if (m_username->text().trimmed().isEmpty() || m_password->text().isEmpty()) {
        m_message->setText(tr("Enter your username and password."));
        return;
    }
    m_message->setText(tr("Logging in..."));
    m_login->setEnabled(false);
    m_session->login(url, m_username->text().trimmed(), m_password->text(), m_remember->isChecked());
}

void LoginDialog::finished(bool ok, const ApiError &error, const QString &tokenPlace)
{
    m_login->setEnabled(true);
    m_password->clear();
    if (!ok) {
        m_message->setText(error.describe(true));
        return;
    }
    QSettings settings;
    settings.setValue(u"server"_s, m_server->text().trimmed());
    settings.setValue(u"username"_s, m_username->text().trimmed());
    m_tokenPlace = tokenPlace;
    m_message->setText(tokenPlace);
    accept();
}

} // namespace sanayicin::console
