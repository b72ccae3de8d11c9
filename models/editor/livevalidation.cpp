#include "models/editor/livevalidation.h"

#include "models/link/postback.h"

#include <QPointer>
#include <QThreadPool>
#include <utility>

namespace antibody {

LiveValidation::LiveValidation(QObject *parent)
    : QObject(parent)
    , m_fileName(QStringLiteral("untitled.yaml"))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(defaultDelay);
    connect(&m_timer, &QTimer::timeout, this, &LiveValidation::startWorker);
}

void LiveValidation::schedule(const QString &text)
{
    ++m_generation;
    m_pending = text;
    m_timer.start();
}

void LiveValidation::startWorker()
{
    const quint64 generation = m_generation;
    const QByteArray bytes = std::exchange(m_pending, QString()).toUtf8();
    const QString fileName = m_fileName;
    QPointer<LiveValidation> self(this);
    m_running = true;
    QThreadPool::globalInstance()->start([self, generation, bytes, fileName] {
        const LoadResult result = loadRunbookText(bytes, fileName);
        postBack(self, [generation, result](LiveValidation &v) { v.finish(generation, result); });
    });
}

void LiveValidation::finish(quint64 generation, const LoadResult &result)
{
    if (generation != m_generation)
        return; // the text changed since: its own validation is coming
    m_running = false;
    m_result = result;
    Q_EMIT validated(m_result);
}

const LoadResult &LiveValidation::validateNow(const QString &text)
{
    ++m_generation;
    m_timer.stop();
    m_pending.clear();
    m_running = false;
    m_result = loadRunbookText(text.toUtf8(), m_fileName);
    Q_EMIT validated(m_result);
    return m_result;
}

} // namespace antibody
