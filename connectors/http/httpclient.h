#pragma once

#include "connectors/http/curlsession.h"
#include "connectors/work/workerpool.h"

#include <QObject>
#include <functional>

namespace antibody {

// HTTP for one connector: requests run on the connector's worker threads,
// idempotent ones retry with backoff and jitter, and results come back on the
// context's thread, never inside the call that asked. The context object owns
// the client and must outlive it (it does, as a member).
class HttpClient
{
public:
    HttpClient(QObject *context, HttpOptions options, QString name, int maxThreads = 2);

    // Asynchronous: `done` runs later on the context's thread.
    void send(HttpRequest request, std::function<void(HttpResponse)> done);

    // Blocking, with retries: for jobs that already run on a worker (several
    // requests in a row, as a Prometheus read with its sample times does).
    HttpResponse perform(const HttpRequest &request, const Cancellation &cancellation) const;

    // Runs a blocking job on this client's workers; its result comes back queued.
    template <typename Result>
    void run(std::function<Result(const Cancellation &)> job, std::function<void(Result)> done)
    {
        m_pool.run<Result>(std::move(job), std::move(done));
    }

    const HttpOptions &options() const { return m_session.options(); }
    // Non-empty when TLS verification is off: the warning every start logs.
    QString insecureWarning(const QString &url) const;

    // "HTTP 503 Service Unavailable: <start of the body>; <what to do>", or empty for 2xx.
    static QString statusProblem(const HttpResponse &response, const QString &configKey);

private:
    CurlSession m_session;
    WorkerPool m_pool;
};

} // namespace antibody
