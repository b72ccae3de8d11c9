#include "connectors/http/curlsession.h"

#include "connectors/http/redaction.h"
#include "connectors/work/cancellation.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <array>
#include <curl/curl.h>
#include <mutex>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHttp, "antibody.http", QtInfoMsg)

namespace antibody {
namespace {

void initializeCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer
{
    QByteArray body;
    qint64 cap = 0;
    bool overCap = false;
    const Cancellation *cancellation = nullptr;
};

size_t writeBody(char *data, size_t size, size_t count, void *userdata)
{
    auto *t = static_cast<Transfer *>(userdata);
    const size_t bytes = size * count;
    if (t->body.size() + static_cast<qint64>(bytes) > t->cap) {
        t->overCap = true;
        return 0; // aborts the transfer with CURLE_WRITE_ERROR
    }
    t->body.append(data, static_cast<qsizetype>(bytes));
    return bytes;
}

int progress(void *userdata, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto *t = static_cast<Transfer *>(userdata);
    return t->cancellation && t->cancellation->isCancelled() ? 1 : 0;
}

// The request line ("POST /hooks/T0/B0/secret HTTP/1.1") without its path, for a URL
// whose path is its secret (a chat webhook).
QByteArray withoutPath(const QByteArray &line)
{
    const qsizetype first = line.indexOf(' ');
    const qsizetype last = line.lastIndexOf(' ');
    if (first < 0 || last <= first || !line.mid(last + 1).startsWith("HTTP/"))
        return line;
    return line.left(first) + " [path hidden]" + line.mid(last);
}

// The trace: headers only, never bodies, and credential headers redacted. `hidePath`
// points at the options' hideUrlPath.
int trace(CURL *, curl_infotype type, char *data, size_t size, void *hidePath)
{
    const QByteArray chunk(data, static_cast<qsizetype>(size));
    const char *direction = nullptr;
    switch (type) {
    case CURLINFO_TEXT:
        direction = "*";
        break;
    case CURLINFO_HEADER_OUT:
        direction = ">";
        break;
    case CURLINFO_HEADER_IN:
        direction = "<";
        break;
    default:
        return 0;
    }
    const bool hide = hidePath && *static_cast<const bool *>(hidePath);
    for (const QByteArray &line : chunk.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        const QByteArray shown = hide && type == CURLINFO_HEADER_OUT ? withoutPath(trimmed) : trimmed;
        qCInfo(lcHttp).noquote() << direction << QString::fromUtf8(redactedHeaderLine(shown));
    }
    return 0;
}

QByteArray methodName(HttpRequest::Method m)
{
    return HttpRequest::methodText(m).toLatin1();
}

HttpResponse::Failure classify(CURLcode code, bool overCap)
{
    using F = HttpResponse::Failure;
    if (overCap)
        return F::TooLarge;
    switch (code) {
    case CURLE_OK:
        return F::None;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return F::Connect;
    case CURLE_OPERATION_TIMEDOUT:
        return F::Timeout;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return F::Tls;
    case CURLE_FILESIZE_EXCEEDED:
        return F::TooLarge;
    case CURLE_ABORTED_BY_CALLBACK:
        return F::Cancelled;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_URL_MALFORMAT:
        return F::Refused;
    default:
        return F::Transfer;
    }
}

QString describeFailure(HttpResponse::Failure failure, const QString &detail, const HttpOptions &o)
{
    const QString key = o.configKey.isEmpty() ? u"the connector's configuration"_s : o.configKey;
    using F = HttpResponse::Failure;
    switch (failure) {
    case F::Connect:
        return u"could not connect (%1): is the server running, and is %2.url right?"_s.arg(detail, key);
    case F::Timeout:
        return u"no complete answer within %1 (%2): the server may be overloaded or unreachable; %3.timeout sets the limit"_s
            .arg(formatDuration(o.totalTimeout), detail, key);
    case F::Tls:
        return u"TLS verification failed (%1): if the server uses a private CA, set %2.tls.ca_file to it"_s.arg(
            detail, key);
    case F::TooLarge:
        return u"the response is larger than %1 bytes: narrow the request, or raise %2.max_response_bytes"_s
            .arg(o.maxResponseBytes)
            .arg(key);
    case F::Refused:
        return u"%1: only http and https are followed, at most %2 redirects"_s.arg(detail).arg(o.maxRedirects);
    case F::Cancelled:
        return u"cancelled: the connector is shutting down"_s;
    case F::Transfer:
        return u"the transfer failed (%1)"_s.arg(detail);
    case F::None:
        break;
    }
    return detail;
}

void setBlob(CURL *h, CURLoption option, const QByteArray &bytes)
{
    curl_blob blob { const_cast<char *>(bytes.constData()), static_cast<size_t>(bytes.size()), CURL_BLOB_COPY };
    curl_easy_setopt(h, option, &blob);
}

} // namespace

// A share handle with its locks: libcurl calls these from whichever worker runs a request.
struct CurlSession::Shared
{
    CURLSH *share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;

    Shared()
    {
        share = curl_share_init();
        curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Shared::lock);
        curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Shared::unlock);
        curl_share_setopt(share, CURLSHOPT_USERDATA, this);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    }
    ~Shared() { curl_share_cleanup(share); }

    static void lock(CURL *, curl_lock_data data, curl_lock_access, void *self)
    {
        static_cast<Shared *>(self)->locks[static_cast<size_t>(data)].lock();
    }
    static void unlock(CURL *, curl_lock_data data, void *self)
    {
        static_cast<Shared *>(self)->locks[static_cast<size_t>(data)].unlock();
    }
};

CurlSession::CurlSession(HttpOptions options)
    : m_options(std::move(options))
{
    initializeCurlOnce();
    m_shared = std::make_unique<Shared>();
}

CurlSession::~CurlSession() = default;

HttpResponse CurlSession::perform(const HttpRequest &request, const Cancellation &cancellation) const
{
    HttpResponse response;
    const QString where
        = HttpRequest::methodText(request.method) + u' ' + redactedUrl(request.url, m_options.hideUrlPath);
    const QString scheme = request.url.scheme().toLower();
    if (!request.url.isValid() || (scheme != u"http"_s && scheme != u"https"_s)) {
        response.failure = HttpResponse::Failure::Refused;
        response.sentNothing = true;
        response.error = u"%1: not an http or https URL; only those are used"_s.arg(where);
        return response;
    }

    CURL *h = curl_easy_init();
    if (!h) {
        response.failure = HttpResponse::Failure::Transfer;
        response.sentNothing = true;
        response.error = u"%1: libcurl could not create a handle (out of memory?)"_s.arg(where);
        return response;
    }
    const HttpOptions &o = m_options;
    Transfer transfer;
    transfer.cap = o.maxResponseBytes;
    transfer.cancellation = &cancellation;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    const QByteArray url = request.url.toEncoded();
    const QByteArray userAgent = o.userAgent.toUtf8();

    curl_easy_setopt(h, CURLOPT_SHARE, m_shared->share);
    curl_easy_setopt(h, CURLOPT_URL, url.constData());
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // threads: no SIGALRM for DNS timeouts
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    // Redirects: only for GET, whose request carries no body (a 307 or 308 would send a
    // POST's body, a routing key, an eviction, wherever it points), and never from https
    // down to http.
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, scheme == u"https"_s ? "https" : "http,https");
    curl_easy_setopt(
        h, CURLOPT_FOLLOWLOCATION, o.maxRedirects > 0 && request.method == HttpRequest::Method::Get ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, static_cast<long>(o.maxRedirects));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connectTimeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o.totalTimeout.count()));
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.maxResponseBytes));
    curl_easy_setopt(h, CURLOPT_USERAGENT, userAgent.constData());
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); // whatever libcurl decodes; the cap counts decoded bytes
    // Proxies: libcurl reads http_proxy, https_proxy and no_proxy from the environment
    // when CURLOPT_PROXY is unset, which is what we want.

    // TLS: verification on unless explicitly and loudly turned off.
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o.tls.insecureSkipVerify ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o.tls.insecureSkipVerify ? 0L : 2L);
    const QByteArray caFile = o.tls.caFile.toLocal8Bit();
    if (!caFile.isEmpty())
        curl_easy_setopt(h, CURLOPT_CAINFO, caFile.constData());
    if (!o.tls.caPem.isEmpty())
        setBlob(h, CURLOPT_CAINFO_BLOB, o.tls.caPem);
    const QByteArray certFile = o.tls.clientCertFile.toLocal8Bit();
    const QByteArray keyFile = o.tls.clientKeyFile.toLocal8Bit();
    if (!certFile.isEmpty())
        curl_easy_setopt(h, CURLOPT_SSLCERT, certFile.constData());
    if (!o.tls.clientCertPem.isEmpty())
        setBlob(h, CURLOPT_SSLCERT_BLOB, o.tls.clientCertPem);
    if (!keyFile.isEmpty())
        curl_easy_setopt(h, CURLOPT_SSLKEY, keyFile.constData());
    if (!o.tls.clientKeyPem.isEmpty())
        setBlob(h, CURLOPT_SSLKEY_BLOB, o.tls.clientKeyPem.reveal());

    // Credentials through libcurl's own options, so it never forwards them to
    // another host on a redirect.
    const QByteArray username = o.auth.username.toUtf8();
    switch (o.auth.kind) {
    case HttpAuth::Kind::Bearer:
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
        curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, o.auth.secret.reveal().constData());
        break;
    case HttpAuth::Kind::Basic:
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, username.constData());
        curl_easy_setopt(h, CURLOPT_PASSWORD, o.auth.secret.reveal().constData());
        break;
    case HttpAuth::Kind::None:
        break;
    }

    curl_slist *headers = nullptr;
    for (const auto &[name, value] : request.headers)
        headers = curl_slist_append(headers, QByteArray(name + ": " + value).constData());
    if (!request.body.isEmpty() || request.method != HttpRequest::Method::Get)
        headers = curl_slist_append(headers, "Expect:"); // no 100-continue round trip
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

    const QByteArray method = methodName(request.method);
    switch (request.method) {
    case HttpRequest::Method::Get:
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        break;
    case HttpRequest::Method::Post:
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        break;
    default:
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.constData());
        break;
    }
    if (request.method != HttpRequest::Method::Get) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, request.body.constData());
    }

    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &writeBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
    if (o.trace) {
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, &trace);
        curl_easy_setopt(h, CURLOPT_DEBUGDATA, &o.hideUrlPath);
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    }

    QElapsedTimer timer;
    timer.start();
    const CURLcode code = curl_easy_perform(h);
    response.elapsed = Duration { timer.elapsed() };

    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    char *contentType = nullptr;
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &contentType);
    curl_off_t retryAfter = 0;
    curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retryAfter);
    long requestSize = 0;
    curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &requestSize);

    response.failure = classify(code, transfer.overCap);
    response.status = static_cast<int>(status);
    response.contentType = contentType ? QByteArray(contentType) : QByteArray();
    if (retryAfter > 0)
        response.retryAfter = Duration { static_cast<qint64>(retryAfter) * 1000 };
    response.sentNothing = requestSize == 0;
    if (response.failure == HttpResponse::Failure::None) {
        response.body = std::move(transfer.body);
    } else {
        const QString detail
            = errorBuffer[0] ? QString::fromUtf8(errorBuffer).trimmed() : QString::fromUtf8(curl_easy_strerror(code));
        response.error = where + u": "_s + describeFailure(response.failure, detail, o);
    }

    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return response;
}

} // namespace antibody
