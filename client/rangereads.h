#pragma once

#include "engine/core/time.h"
#include "models/link/metricreader.h"

#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <functional>
#include <memory>

namespace antibody {

// The charts' reads over --server: each query of a window is one `query_range`
// command (docs/team.md), a metric's name and its labels, never PromQL; the window is
// done when every one is answered, or at once with the reason when the link drops.
// Its "now" is the server's: the end of the windows the server read, so the charts
// line up with the server's clock rather than the console's estimate of it. A chart
// whose last window is still unanswered asks nothing more until it is.
class RangeReads
{
public:
    // Sends one command; false when the link cannot (then nothing was sent).
    using Send = std::function<bool(const QJsonObject &command)>;

    explicit RangeReads(Send send);
    ~RangeReads();

    void read(const QList<MetricQuery> &queries, Duration span, Duration step, QObject *context,
        std::function<void(const MetricReader::Window &)> done, TimePoint fallbackNow);
    // A `reply` to one of these reads: taken, and true; any other reply: false.
    bool answer(const QJsonObject &reply);
    // The link dropped: every read not answered yet is answered with `reason`.
    void fail(const QString &reason);

private:
    struct Window;

    void answerLater(const std::shared_ptr<Window> &window);

    Send m_send;
    QHash<QString, std::pair<std::shared_ptr<Window>, qsizetype>> m_pending; // request id: window, query
    QHash<QObject *, std::shared_ptr<Window>> m_open; // a chart's window not answered yet
    int m_requests = 0;
};

} // namespace antibody
