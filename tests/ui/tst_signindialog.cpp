// The sign-in dialog on its own, as a person uses it: nothing to connect until a token
// is typed, Enter connects with the keyring box as set, Esc cancels, the server's reason
// is shown as the words it is (never as markup), and without a keyring the box is off
// and the dialog says the token is for this session only.
#include "tests/support/widgetlookup.h"
#include "ui/signindialog.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using antibody::SignInDialog;
using antibody::test::child;

class TestSignInDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void enterConnectsWithTheTokenTyped()
    {
        SignInDialog dialog;
        dialog.ask(u"wss://ops.example:8443"_s, u"this server requires a token (server.require_tokens)"_s, {});
        dialog.open();
        QSignalSpy requested(&dialog, &SignInDialog::connectRequested);
        auto *field = child<QLineEdit>(dialog, u"signInToken"_s);
        auto *connect = child<QPushButton>(dialog, u"signInConnect"_s);
        QCOMPARE(dialog.windowTitle(), u"Sign in to ops.example:8443"_s);
        QCOMPARE(field->echoMode(), QLineEdit::Password);
        QVERIFY(!connect->isEnabled());
        QTest::keyClick(field, Qt::Key_Return); // nothing typed: nothing sent
        QCOMPARE(requested.size(), 0);

        QTest::keyClicks(field, u"  abt_0123456789ab_secret  "_s);
        QVERIFY(connect->isEnabled());
        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.at(0).at(0).toString(), u"abt_0123456789ab_secret"_s);
        QCOMPARE(requested.at(0).at(1).toBool(), true);
        QVERIFY(dialog.isVisible()); // open until the server answers

        dialog.connecting();
        QVERIFY(!field->isEnabled() && !connect->isEnabled());
        QVERIFY(child<QLabel>(dialog, u"signInProgress"_s)->text().contains(u"Connecting to wss://ops.example:8443"_s));

        // Refused: asked again with the new reason, the field empty for another token.
        dialog.ask(u"wss://ops.example:8443"_s, u"token abt_0123456789ab… is not known here"_s, {});
        QVERIFY(field->isEnabled() && field->text().isEmpty());
        QCOMPARE(dialog.reason(), u"The server said: token abt_0123456789ab… is not known here"_s);
        QTest::keyClicks(field, u"abt_other"_s);
        child<QCheckBox>(dialog, u"signInKeep"_s)->setChecked(false);
        QTest::mouseClick(connect, Qt::LeftButton);
        QCOMPARE(requested.size(), 2);
        QCOMPARE(requested.at(1).at(1).toBool(), false);
    }

    void escCancelsAndForgetsWhatWasTyped()
    {
        SignInDialog dialog;
        dialog.ask(u"wss://ops.example:8443"_s, {}, {});
        dialog.open();
        QSignalSpy rejected(&dialog, &QDialog::rejected);
        auto *field = child<QLineEdit>(dialog, u"signInToken"_s);
        QTest::keyClicks(field, u"abt_half"_s);
        QTest::keyClick(field, Qt::Key_Escape);
        QCOMPARE(rejected.size(), 1);
        QVERIFY(!dialog.isVisible());
        QVERIFY(field->text().isEmpty());
        QCOMPARE(dialog.reason(), u"Sign in with the API token an admin created for you."_s);
    }

    // A hostile server's reason: shown as text, a link or an image never rendered.
    void theServersReasonIsTextNotMarkup()
    {
        SignInDialog dialog;
        const QString hostile = u"<img src=\"http://evil.example/x.png\"><a href=\"http://evil.example\">click</a>"_s;
        dialog.ask(u"wss://ops.example:8443"_s, hostile, {});
        auto *reason = child<QLabel>(dialog, u"signInReason"_s);
        QCOMPARE(reason->textFormat(), Qt::PlainText);
        QVERIFY(reason->text().endsWith(hostile));
    }

    void withoutAKeyringTheBoxIsOffAndTheDialogSaysWhy()
    {
        SignInDialog dialog;
        dialog.ask(u"wss://ops.example:8443"_s, {},
            u"the desktop keyring cannot be reached (The name org.freedesktop.secrets was not provided)"_s);
        dialog.show();
        auto *keep = child<QCheckBox>(dialog, u"signInKeep"_s);
        QVERIFY(!keep->isChecked() && !keep->isEnabled());
        auto *note = child<QLabel>(dialog, u"signInKeyringNote"_s);
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().startsWith(u"The token is used for this session only: the desktop keyring cannot be "
                                         u"reached (The name org.freedesktop.secrets"_s),
            qPrintable(note->text()));
        QSignalSpy requested(&dialog, &SignInDialog::connectRequested);
        QTest::keyClicks(child<QLineEdit>(dialog, u"signInToken"_s), u"abt_x"_s);
        QTest::keyClick(child<QLineEdit>(dialog, u"signInToken"_s), Qt::Key_Enter);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.at(0).at(1).toBool(), false);
        // The keyring answers again later (the next ask): the box comes back, checked.
        dialog.ask(u"wss://ops.example:8443"_s, {}, {});
        QVERIFY(keep->isChecked() && keep->isEnabled());
        QVERIFY(!note->isVisible());
    }
};

QTEST_MAIN(TestSignInDialog)
#include "tst_signindialog.moc"
