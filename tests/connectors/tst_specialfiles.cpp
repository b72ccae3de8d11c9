// Review finding 22: every file Antibody reads whole (a runbook, the configuration, a
// secret, a kubeconfig) has a size cap, and a path to a FIFO or a device must not get
// around it: a FIFO would block the open until some writer came, /dev/zero never ends.
// Each reader refuses such a path at once and says what is wrong with it.
#include "connectors/config/configuration.h"
#include "connectors/config/secret.h"
#include "connectors/kubernetes/kubeaccess.h"
#include "engine/runbook/runbookloader.h"

#include <QTemporaryDir>
#include <QTest>
#include <chrono>
#include <fcntl.h>
#include <future>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

// What a reader said about the path; empty when it read the path as if it were a file.
using Reader = std::function<QString(const QString &path)>;

const QList<std::pair<const char *, Reader>> &readers()
{
    static const QList<std::pair<const char *, Reader>> all {
        { "runbook",
            [](const QString &p) {
                const LoadResult r = loadRunbookFile(p);
                return r.diagnostics.isEmpty() ? QString() : r.diagnostics.front().message;
            } },
        { "configuration",
            [](const QString &p) {
                const auto r = Configuration::load(p);
                return r.errors.isEmpty() ? QString() : r.errors.front().message;
            } },
        { "secret",
            [](const QString &p) {
                return SecretSource { {}, p, u"sinks.pager.routing_key_file"_s }.resolve().error;
            } },
        { "kubeconfig", [](const QString &p) { return KubeAccess::fromKubeconfig(p, {}).error; } },
    };
    return all;
}

} // namespace

class TestSpecialFiles : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_fifo;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_fifo = m_dir.filePath(u"fifo"_s);
        QCOMPARE(::mkfifo(QFile::encodeName(m_fifo).constData(), 0600), 0);
    }

    void refusedAtOnce_data()
    {
        QTest::addColumn<int>("reader");
        QTest::addColumn<QString>("path");
        for (int i = 0; i < readers().size(); ++i) {
            QTest::addRow("%s, fifo", readers().at(i).first) << i << QString();
            QTest::addRow("%s, /dev/zero", readers().at(i).first) << i << u"/dev/zero"_s;
        }
    }

    void refusedAtOnce()
    {
        QFETCH(int, reader);
        QFETCH(QString, path);
        if (path.isEmpty())
            path = m_fifo;
        const Reader read = readers().at(reader).second;
        std::future<QString> said = std::async(std::launch::async, [read, path] { return read(path); });
        if (said.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
            // Blocked on the FIFO: a writer that closes at once lets it go, then fail.
            const int fd = ::open(QFile::encodeName(m_fifo).constData(), O_WRONLY | O_NONBLOCK);
            if (fd >= 0)
                ::close(fd);
            said.wait();
            QFAIL("the reader blocked on a path that is not a regular file");
        }
        const QString message = said.get();
        QVERIFY2(message.contains(u"not a regular file"_s), qPrintable(message));
        QVERIFY2(message.contains(path), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestSpecialFiles)
#include "tst_specialfiles.moc"
