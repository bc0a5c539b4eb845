#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace sanayicin::console {

QString Language::systemDefault()
{
    return QLocale::system().language() == QLocale::Turkish ? u"tr"_s : u"en"_s;
}

bool Language::apply(const QString &code)
{
    if (!available().contains(code))
        return false;
    QCoreApplication::removeTranslator(&m_own);
    QCoreApplication::removeTranslator(&m_qt);
    // Built into the program by qt_add_translations (console/CMakeLists.txt).
    if (m_own.load(u":/i18n/sanayicin_"_s + code + u".qm"_s))
        QCoreApplication::installTranslator(&m_own);
    // Qt's own dialogs' buttons (Yes, No, Cancel) in the same language.
    if (m_qt.load(u"qtbase_"_s + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&m_qt);
    QLocale::setDefault(QLocale(code == u"tr"_s ? QLocale::Turkish : QLocale::English,
                                code == u"tr"_s ? QLocale::Turkey : QLocale::UnitedStates));
    m_current = code;
    Q_EMIT changed(code);
    return true;
}

} // namespace sanayicin::console
