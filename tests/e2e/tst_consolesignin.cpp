// The console signs in to a team server with the person's API token, kept in the desktop
// keyring: a real `antibody-server` process with `server.require_tokens: true`, tokens
// made and revoked with `antibodyctl token`, a real keyring (GNOME Keyring's Secret
// Service on a private D-Bus session: ctest runs this suite through scripts/keyring-session),
// and the console's real window and sign-in dialog, typed into and clicked. The keyring is
// read from outside the console with secret-tool, as a person would check it.
//
// First start: the dialog says why, the token typed connects as its subject and is kept;
// the second start asks nothing; a revoked token brings the dialog back with the reason
// and is replaced; a wrong one is refused in the dialog and never kept; a person who waits
// in the dialog finds the link neither given up nor spinning; ANTIBODY_TOKEN is used and
// never kept; sign-out deletes the token and disconnects; without a keyring the dialog
// says the token is for this session only, and why. No token ever reaches a file, the
// server's store or a log line.
#include "models/link/consolemodels.h"
#include "remoteconsole.h"
#include "tests/support/selfsignedcertificate.h"
#include "tests/support/serverprocess.h"
#include "tests/support/tcpproxy.h"
#include "tests/support/widgetlookup.h"
#include "ui/connectionbanner.h"

#include <QCheckBox>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using antibody::test::child;
using antibody::test::SelfSignedCertificate;
using antibody::test::ServerProcess;
using antibody::test::TcpProxy;

namespace antibody::e2e {
namespace {

// Every message the console logs in this process, to look for tokens in.
QStringList &logged()
{
    static QStringList lines;
    return lines;
}

QtMessageHandler previousHandler = nullptr;

void keepMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    logged() << message;
    previousHandler(type, context, message);
}

struct Ran
{
    int exitCode = -1;
    QString out;
    QString err;
};

Ran runProgram(const QString &program, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(10'000))
        return { -1, {}, u"%1 did not start"_s.arg(program) };
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(30'000);
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
        QString::fromUtf8(p.readAllStandardError()) };
}

// The keyring as secret-tool sees it: the item qtkeychain writes is found by its
// attributes (service "antibody" as `server`, the team server's URL as `user`).
std::optional<QString> keptFor(const QString &url)
{
    const Ran r = runProgram(u"secret-tool"_s, { u"lookup"_s, u"server"_s, u"antibody"_s, u"user"_s, url });
    return r.exitCode == 0 ? std::optional(r.out) : std::nullopt;
}

bool keep(const QString &url, const QString &token)
{
    return runProgram(u"secret-tool"_s,
               { u"store"_s, u"--label=antibody token"_s, u"server"_s, u"antibody"_s, u"user"_s, url, u"type"_s,
                   u"plaintext"_s },
               token.toUtf8())
               .exitCode
        == 0;
}

// How many items the keyring holds for the server: one, however often the token changed.
int itemsFor(const QString &url)
{
    const Ran r = runProgram(u"secret-tool"_s, { u"search"_s, u"--all"_s, u"server"_s, u"antibody"_s, u"user"_s, url });
    return int(r.out.count(QRegularExpression(u"^\\["_s, QRegularExpression::MultilineOption)));
}

void forget(const QString &url)
{
    runProgram(u"secret-tool"_s, { u"clear"_s, u"server"_s, u"antibody"_s, u"user"_s, url });
}

// `antibody --server URL --ca-file PEM --name mallory` as main() builds it: mallory is
// what the hello says; the server knows the person by the token's subject.
struct Console
{
    Console(const QString &url, const QString &caFile, const QString &environmentToken = {},
        std::chrono::milliseconds firstRetry = 1'000ms)
    {
        QString error;
        const auto address = ServerAddress::parse(url, caFile, &error);
        if (!address)
            qFatal("%s", qPrintable(error));
        RemoteConsole::Options options;
        options.link.address = *address;
        options.link.name = u"mallory"_s;
        options.link.firstRetry = firstRetry;
        options.link.longestRetry = firstRetry * 4;
        options.environmentToken = environmentToken;
        console = std::make_unique<RemoteConsole>(&models, options);
        window()->resize(1180, 760);
        window()->show();
        console->start();
    }

    MainWindow *window() { return console->window(); }
    SignInDialog *dialog() { return console->signInDialog(); }
    ConnectionState state() { return console->link()->connection(); }
    bool connected() { return state().phase == ConnectionState::Phase::Connected; }
    bool asking() { return dialog()->isVisible(); }
    QLineEdit *tokenField() { return child<QLineEdit>(dialog(), u"signInToken"_s); }
    QCheckBox *keepBox() { return child<QCheckBox>(dialog(), u"signInKeep"_s); }
    QString keyringNote()
    {
        auto *note = child<QLabel>(dialog(), u"signInKeyringNote"_s);
        return note->isVisible() ? note->text() : QString();
    }
    QString statusLine() { return child<QLabel>(window(), u"engineStatus"_s)->text(); }
    QString notice() { return window()->statusBar()->currentMessage(); }
    QString banner()
    {
        return window()->connectionBanner()->isVisible() ? window()->connectionBanner()->text() : QString();
    }

    // Types the token into the dialog as a person pastes it, and presses Enter.
    void typeAndEnter(const QString &token)
    {
        tokenField()->setFocus();
        QTest::keyClicks(tokenField(), token);
        QTest::keyClick(tokenField(), Qt::Key_Return);
    }

    ConsoleModels models;
    std::unique_ptr<RemoteConsole> console;
};

// With ANTIBODY_SCREENSHOTS=DIR (scripts/screenshots), the window with the dialog over it as DIR/NAME.png.
void screenshot(const QString &name, Console &console)
{
    const QString dir = qEnvironmentVariable("ANTIBODY_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QTest::qWait(300); // the layouts settle
    QPixmap shot = console.window()->grab();
    if (console.asking()) {
        const QPixmap dialog = console.dialog()->grab();
        // Where a window manager would put the window-modal dialog, with a frame for its decorations.
        QPainter painter(&shot);
        const QRect at((shot.width() - dialog.width()) / 2, 140, dialog.width(), dialog.height());
        painter.drawPixmap(at, dialog);
        painter.setPen(QPen(Qt::darkGray, 2));
        painter.drawRect(at.adjusted(-1, -1, 1, 1));
    }
    QDir().mkpath(dir);
    if (!shot.save(QDir(dir).filePath(name + u".png"_s)))
        qWarning("cannot write %s/%s.png", qPrintable(dir), qPrintable(name));
}

} // namespace

class TestConsoleSignIn : public QObject
{
    Q_OBJECT

    SelfSignedCertificate m_certificate;
    QTemporaryDir m_dir;
    ServerProcess m_server;
    QString m_url;
    QStringList m_tokens; // every token the suite used: none may end up in a file or a log
    bool m_keyring = false; // scripts/keyring-session's unlocked keyring; without: a bus with no Secret Service

    QString config() const { return m_dir.filePath(u"team.yaml"_s); }
    QString data() const { return m_dir.filePath(u"data"_s); }

    // A new token for `subject`, as an admin makes it: printed alone on stdout.
    QString createToken(const QString &subject)
    {
        const Ran r = runProgram(QStringLiteral(ANTIBODYCTL),
            { u"token"_s, u"create"_s, u"--config"_s, config(), u"--data-dir"_s, data(), u"--subject"_s, subject });
        const QString token = r.out.trimmed();
        if (r.exitCode != 0 || !token.startsWith(u"abt_"_s))
            qFatal("antibodyctl token create: %d %s", r.exitCode, qPrintable(r.err));
        m_tokens << token;
        return token;
    }

    static QString idOf(const QString &token) { return token.section(u'_', 1, 1); }
    // What must never be seen: a token's secret (its id is public), or all of what is not a token.
    static QString secretOf(const QString &token)
    {
        return token.startsWith(u"abt_"_s) ? token.section(u'_', 2) : token;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Never the keyring of whoever runs the suite: only the throwaway one of the script.
        const QString session = qEnvironmentVariable("KEYRING_SESSION");
        QVERIFY2(!session.isEmpty(),
            "run this suite through scripts/keyring-session (ctest does): it must not touch your own keyring");
        m_keyring = session == u"keyring"_s;
        QCoreApplication::setOrganizationName(u"antibody"_s); // the console's settings, where main() puts them
        QCoreApplication::setApplicationName(u"antibody"_s);
        previousHandler = qInstallMessageHandler(keepMessage);
        QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error));
        QVERIFY(m_dir.isValid());
        QFile file(config());
        QVERIFY(file.open(QIODevice::WriteOnly));
        // An alert source nothing answers (port 9, discard): beside the point here.
        file.write(u"sources:\n  alertmanager: { url: \"http://127.0.0.1:9\", poll_interval: 60s }\n"
                   "server:\n  listen: \"127.0.0.1:0\"\n  http_listen: \"127.0.0.1:0\"\n"
                   "  certificate: \"%1\"\n  private_key: \"%2\"\n  require_tokens: true\n"_s
                       .arg(m_certificate.certFile(), m_certificate.keyFile())
                       .toUtf8());
        file.close();
        m_server.start(config(), data());
        QTRY_VERIFY_WITH_TIMEOUT(m_server.listening(), 20'000);
        m_url = m_server.url;
    }

    void init()
    {
        if (m_keyring)
            forget(m_url);
    }

    // First start: no token anywhere. The server refuses the hello and says why; the
    // dialog shows it; the token typed connects as its subject (not --name) and is kept
    // in the keyring, where secret-tool finds it.
    void firstStartAsksThenConnectsAsTheTokensSubjectAndKeepsIt()
    {
        if (!m_keyring)
            QSKIP("needs the keyring: tst_consolesignin runs it");
        const QString alice = createToken(u"alice"_s);
        Console console(m_url, m_certificate.certFile());
        QTRY_VERIFY(console.asking());
        QCOMPARE(console.dialog()->windowTitle(), u"Sign in to %1"_s.arg(m_url.mid(6)));
        QVERIFY2(console.dialog()->reason().contains(u"this server requires a token (server.require_tokens)"_s),
            qPrintable(console.dialog()->reason()));
        QCOMPARE(console.tokenField()->echoMode(), QLineEdit::Password);
        QVERIFY(console.keepBox()->isChecked() && console.keepBox()->isEnabled());
        QCOMPARE(console.keyringNote(), QString());
        QVERIFY2(console.statusLine().contains(u"NOT signed in"_s), qPrintable(console.statusLine()));
        QVERIFY2(!console.statusLine().contains(u"mallory"_s), qPrintable(console.statusLine())); // nobody admitted yet
        QVERIFY(!child<QPushButton>(console.dialog(), u"signInConnect"_s)->isEnabled()); // nothing typed yet
        screenshot(u"team-sign-in"_s, console);

        console.typeAndEnter(alice);
        QTRY_VERIFY(console.connected());
        QTRY_VERIFY(!console.asking());
        QCOMPARE(console.console->link()->approver(), u"alice"_s);
        QVERIFY2(console.statusLine().contains(u"you are alice"_s), qPrintable(console.statusLine()));
        QVERIFY(!console.statusLine().contains(u"mallory"_s));
        QTRY_VERIFY2(
            console.notice().contains(u"the token is kept in the desktop keyring"_s), qPrintable(console.notice()));
        QCOMPARE(keptFor(m_url), std::optional(alice));
        QCOMPARE(console.console->signIn()->source(), ServerSignIn::Source::Keyring);
        console.window()->close(); // the window writes its settings as it closes
    }

    // The second start finds the token in the keyring and asks nothing.
    void secondStartConnectsWithoutAsking()
    {
        if (!m_keyring)
            QSKIP("needs the keyring: tst_consolesignin runs it");
        const QString bob = createToken(u"bob"_s);
        QVERIFY(keep(m_url, bob)); // put there from outside the console, as a first start would have
        Console console(m_url, m_certificate.certFile());
        QSignalSpy asked(console.console->signIn(), &ServerSignIn::signInNeeded);
        QTRY_VERIFY(console.connected());
        QCOMPARE(console.console->link()->approver(), u"bob"_s);
        QCOMPARE(asked.size(), 0);
        QVERIFY(!console.asking());
        QVERIFY(console.banner().isEmpty());
    }

    // A kept token the server revoked: the dialog comes back with the server's words, and
    // the new token the person types replaces the old one in the keyring. Then sign-out
    // deletes it and disconnects; Cancel leaves the banner saying what to do.
    void aRevokedTokenAsksAgainAndIsReplacedThenSignOut()
    {
        if (!m_keyring)
            QSKIP("needs the keyring: tst_consolesignin runs it");
        const QString old = createToken(u"carol"_s);
        QVERIFY(keep(m_url, old));
        const Ran revoked = runProgram(QStringLiteral(ANTIBODYCTL),
            { u"token"_s, u"revoke"_s, idOf(old), u"--config"_s, config(), u"--data-dir"_s, data() });
        QVERIFY2(revoked.exitCode == 0, qPrintable(revoked.err));

        Console console(m_url, m_certificate.certFile());
        QTRY_VERIFY(console.asking());
        QVERIFY2(console.dialog()->reason().contains(u"token abt_%1… was revoked on "_s.arg(idOf(old))),
            qPrintable(console.dialog()->reason()));
        QVERIFY(console.keepBox()->isChecked());
        screenshot(u"team-sign-in-revoked"_s, console);

        const QString fresh = createToken(u"carol"_s);
        console.tokenField()->setFocus();
        QTest::keyClicks(console.tokenField(), fresh);
        QTest::mouseClick(child<QPushButton>(console.dialog(), u"signInConnect"_s), Qt::LeftButton);
        QTRY_VERIFY(console.connected());
        QCOMPARE(console.console->link()->approver(), u"carol"_s);
        QTRY_COMPARE(keptFor(m_url), std::optional(fresh));
        QCOMPARE(itemsFor(m_url), 1); // replaced, not added beside the revoked one

        // Sign out, by its shortcut: the token leaves the keyring, the console the server.
        QVERIFY(console.console->signOutAction()->isEnabled());
        console.window()->activateWindow(); // shortcuts reach the active window
        QVERIFY(QTest::qWaitForWindowActive(console.window()));
        QTest::keyClick(console.window(), Qt::Key_O, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(console.state().phase, ConnectionState::Phase::SignInNeeded);
        QTRY_COMPARE(keptFor(m_url), std::nullopt);
        QTRY_VERIFY2(console.notice().contains(u"the desktop keyring holds no token for it now"_s),
            qPrintable(console.notice()));
        QVERIFY2(console.banner().contains(u"Not signed in to the team server"_s)
                && console.banner().contains(u"You signed out."_s) && console.banner().contains(u"Ctrl+Shift+I"_s),
            qPrintable(console.banner()));
        QVERIFY(!console.asking());
        QVERIFY(!console.console->signOutAction()->isEnabled());

        // Sign in again asks; Esc cancels and leaves the banner as it was.
        QTest::keyClick(console.window(), Qt::Key_I, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(console.asking());
        QVERIFY2(!console.dialog()->reason().contains(u"The server said"_s), qPrintable(console.dialog()->reason()));
        QTest::keyClick(console.tokenField(), Qt::Key_Escape);
        QTRY_VERIFY(!console.asking());
        QCOMPARE(console.state().phase, ConnectionState::Phase::SignInNeeded);
        QVERIFY2(console.banner().contains(u"File › Sign in to the team server"_s), qPrintable(console.banner()));
        screenshot(u"team-signed-out"_s, console);
    }

    // A token the server does not know: refused in the dialog, which stays open for
    // another; nothing is kept. Cancel leaves the console disconnected, saying what to do.
    void aWrongTokenIsRefusedInTheDialogAndNeverKept()
    {
        if (!m_keyring)
            QSKIP("needs the keyring: tst_consolesignin runs it");
        Console console(m_url, m_certificate.certFile());
        QTRY_VERIFY(console.asking());
        // Well-formed (an id, 32 bytes of secret in base64url), but no admin made it.
        const QString wrong = u"abt_0123456789ab_"_s + u"Wr0ngT0ken"_s.repeated(4) + u"WrE"_s;
        m_tokens << wrong;
        console.typeAndEnter(wrong);
        QTRY_VERIFY2(console.dialog()->reason().contains(u"token abt_0123456789ab… is not known here"_s),
            qPrintable(console.dialog()->reason()));
        QVERIFY(console.asking());
        QVERIFY(console.tokenField()->isEnabled() && console.tokenField()->text().isEmpty());
        QCOMPARE(keptFor(m_url), std::nullopt);
        QCOMPARE(console.console->signIn()->source(), ServerSignIn::Source::Typed);

        m_tokens << u"hunter2"_s;
        console.typeAndEnter(u"hunter2"_s); // not a token at all: the server says what one looks like
        QTRY_VERIFY2(
            console.dialog()->reason().contains(u"not an Antibody token"_s), qPrintable(console.dialog()->reason()));
        QCOMPARE(keptFor(m_url), std::nullopt);

        QTest::mouseClick(child<QPushButton>(console.dialog(), u"signInCancel"_s), Qt::LeftButton);
        QTRY_VERIFY(!console.asking());
        QCOMPARE(console.state().phase, ConnectionState::Phase::SignInNeeded);
        QVERIFY2(console.banner().contains(u"Not signed in to the team server"_s), qPrintable(console.banner()));
        QVERIFY2(
            console.window()->windowTitle().contains(u"NOT SIGNED IN"_s), qPrintable(console.window()->windowTitle()));
        QCOMPARE(keptFor(m_url), std::nullopt);
    }

    // A person who takes their time in the dialog (finds the token, asks an admin) finds
    // the console as they left it: the link tries nothing while it waits, not even at its
    // shortest retry, and the token typed at last connects at once. The link's timers run
    // on the wall clock (it has no injected clock), so the proof is twofold: nothing is
    // scheduled at all (no retry, no watchdog, no socket), so no wait can change anything;
    // and over 2 s, forty of its first retries (50 ms) and ten of its longest (200 ms),
    // no connection reaches the server's port.
    void waitingInTheDialogNeitherGivesUpNorSpins()
    {
        if (!m_keyring)
            QSKIP("needs the keyring: tst_consolesignin runs it");
        const QString dave = createToken(u"dave"_s);
        TcpProxy proxy(quint16(QUrl(m_url).port()));
        QVERIFY(proxy.listen());
        const QString url = u"wss://127.0.0.1:%1"_s.arg(proxy.port());
        Console console(url, m_certificate.certFile(), {}, 50ms);
        QTRY_VERIFY(console.asking());
        QCOMPARE(proxy.accepted(), 1);
        QSignalSpy changes(console.console->link(), &EngineCommands::connectionChanged);
        QTRY_VERIFY(!console.console->link()->tryingToConnect());
        QTest::qWait(2'000); // the person reads, finds the token, asks an admin
        QVERIFY(!console.console->link()->tryingToConnect());
        QCOMPARE(proxy.accepted(), 1); // no attempt while the person reads: a refused hello is not retried
        QCOMPARE(changes.size(), 0);
        QVERIFY(console.asking() && console.tokenField()->isEnabled());
        QCOMPARE(console.state().phase, ConnectionState::Phase::SignInNeeded);

        console.typeAndEnter(dave);
        QTRY_VERIFY(console.connected());
        QCOMPARE(proxy.accepted(), 2);
        QCOMPARE(console.console->link()->approver(), u"dave"_s);
        forget(url);
    }

    // ANTIBODY_TOKEN, when the keyring holds none for this server: used, never kept.
    void anEnvironmentTokenIsUsedAndNeverKept()
    {
        if (!m_keyring)
            QSKIP("needs the keyring: tst_consolesignin runs it");
        const QString erin = createToken(u"erin"_s);
        Console console(m_url, m_certificate.certFile(), erin);
        QSignalSpy asked(console.console->signIn(), &ServerSignIn::signInNeeded);
        QTRY_VERIFY(console.connected());
        QCOMPARE(console.console->link()->approver(), u"erin"_s);
        QCOMPARE(console.console->signIn()->source(), ServerSignIn::Source::Environment);
        QCOMPARE(asked.size(), 0);
        QCOMPARE(keptFor(m_url), std::nullopt);
    }

    // No Secret Service on the bus (scripts/keyring-session --without-keyring): the dialog
    // says the token is for this session only and why, the box is off, and the console works.
    void withoutAKeyringTheTokenIsForThisSessionOnly()
    {
        if (m_keyring)
            QSKIP("needs a session without a keyring: tst_consolesignin_nokeyring runs it");
        const QString frank = createToken(u"frank"_s);
        Console console(m_url, m_certificate.certFile());
        QTRY_VERIFY(console.asking());
        QVERIFY2(console.keyringNote().contains(u"The token is used for this session only: the desktop keyring cannot "
                                                u"be reached ("_s),
            qPrintable(console.keyringNote()));
        QVERIFY2(console.keyringNote().contains(u"org.freedesktop.secrets"_s), qPrintable(console.keyringNote()));
        QVERIFY(!console.keepBox()->isChecked() && !console.keepBox()->isEnabled());
        screenshot(u"team-sign-in-no-keyring"_s, console);
        console.typeAndEnter(frank);
        QTRY_VERIFY(console.connected());
        QCOMPARE(console.console->link()->approver(), u"frank"_s);
        QTRY_VERIFY2(
            console.notice().contains(u"so the token is used for this session only"_s), qPrintable(console.notice()));
        console.window()->close();
    }

    // `antibody --server` itself, as a person starts it, with the token kept in the keyring:
    // it connects as the token's subject with no dialog, says so on stderr, and closes
    // with status 0 on SIGTERM.
    void theConsoleProcessSignsInFromTheKeyring()
    {
        if (!m_keyring)
            QSKIP("needs the keyring: tst_consolesignin runs it");
        const QString grace = createToken(u"grace"_s);
        QVERIFY(keep(m_url, grace));
        QProcess console;
        console.start(QStringLiteral(ANTIBODY),
            { u"--server"_s, m_url, u"--ca-file"_s, m_certificate.certFile(), u"--name"_s, u"mallory"_s });
        QVERIFY(console.waitForStarted());
        QString err;
        QTRY_VERIFY2_WITH_TIMEOUT((err += QString::fromUtf8(console.readAllStandardError()),
                                      err.contains(u"signed in to %1 as grace"_s.arg(m_url))),
            qPrintable(err), 20'000);
        console.terminate();
        QVERIFY(console.waitForFinished(10'000));
        QCOMPARE(console.exitCode(), 0);
        err += QString::fromUtf8(console.readAllStandardError());
        logged() << err;
    }

    // No token used by the suite is in the console's settings, data or cache folders, in
    // the server's store (its audit trail included), or in anything logged.
    void cleanupTestCase()
    {
        qInstallMessageHandler(previousHandler);
        QStringList folders { data() };
        for (const char *variable : { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "HOME" })
            folders << qEnvironmentVariable(variable);
        int files = 0;
        for (const QString &folder : std::as_const(folders)) {
            if (folder.isEmpty())
                continue;
            QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                if (!f.open(QIODevice::ReadOnly))
                    continue;
                ++files;
                const QByteArray bytes = f.readAll();
                for (const QString &token : std::as_const(m_tokens))
                    QVERIFY2(!bytes.contains(secretOf(token).toUtf8()), qPrintable(f.fileName()));
            }
        }
        QVERIFY2(files > 0, "the folders looked in hold no file at all");
        const QString all = logged().join(u'\n') + m_server.log;
        for (const QString &token : std::as_const(m_tokens))
            QVERIFY2(!all.contains(secretOf(token)), "a token's secret was logged");
        qInfo("looked for %lld tokens in %d files and %lld log lines", qsizetype(m_tokens.size()), files,
            qsizetype(logged().size()));
    }
};

} // namespace antibody::e2e

QTEST_MAIN(antibody::e2e::TestConsoleSignIn)
#include "tst_consolesignin.moc"
