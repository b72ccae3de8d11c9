#include "models/editor/livevalidation.h"

#include <utility>

namespace antibody {

LiveValidation::LiveValidation(QObject *parent)
    : QObject(parent)
    , m_fileName(QStringLiteral("untitled.yaml"))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(defaultDelay);
    connect(&m_timer, &QTimer::timeout, this, [this] { validateNow(std::exchange(m_pending, QString())); });
}

void LiveValidation::schedule(const QString &text)
{
    m_pending = text;
    m_timer.start();
}

const LoadResult &LiveValidation::validateNow(const QString &text)
{
    m_timer.stop();
    m_result = loadRunbookText(text.toUtf8(), m_fileName);
    Q_EMIT validated(m_result);
    return m_result;
}

} // namespace antibody
