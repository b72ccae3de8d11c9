#include "connectors/certificates/certificateexecutor.h"

#include "connectors/certificates/renewalcommand.h"
#include "connectors/work/actionresults.h"

#include <QFileInfo>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

constexpr double secondsPerDay = 86'400.0;
constexpr qint64 defaultWindowMs = 14 * 86'400'000LL;

using actionresults::failed;
using actionresults::refused;

// `before_expiry` in seconds: the planner hands durations over in milliseconds; a
// duration still in words ("14d") is read as such.
double windowSeconds(const QVariantMap &params)
{
    const QVariant v = params.value(u"before_expiry"_s, defaultWindowMs);
    if (v.typeId() == QMetaType::QString)
        return double(parseDuration(v.toString()).value_or(Duration { defaultWindowMs }).count()) / 1000.0;
    return double(v.toLongLong()) / 1000.0;
}

QString daysText(double seconds)
{
    return u"%1 days"_s.arg(seconds / secondsPerDay, 0, 'f', 1);
}

} // namespace

CertificateExecutor::CertificateExecutor(CertificatesConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_workers(this, u"certificates"_s, 1)
{
}

QString CertificateExecutor::family() const
{
    return u"certificates"_s;
}

QStringList CertificateExecutor::actions() const
{
    return { u"renew_certificate"_s };
}

QString CertificateExecutor::describe() const
{
    qsizetype count = 0;
    for (const QList<CertificateConfig> &list : m_config.services)
        count += list.size();
    return u"%1 certificate%2 of %3"_s.arg(count)
        .arg(count == 1 ? QString() : u"s"_s)
        .arg(m_config.services.keys().join(u", "_s));
}

const QList<CertificateConfig> *CertificateExecutor::certificatesOf(const QString &service, QString *refusal) const
{
    const auto it = m_config.services.constFind(service);
    if (it != m_config.services.constEnd())
        return &*it;
    // The service is an alert label: whoever can post an alert chooses it. Only the
    // configuration says which files and commands belong to it.
    if (service.isEmpty())
        *refusal = u"the incident names no service (its alert has no `service` label); executors.certificates renews "
                   u"only the certificates listed per service in executors.certificates.services"_s;
    else
        *refusal = u"service '%1' has no certificates in executors.certificates.services; add them there (services: "
                   u"{ %1: [ { name: %1-tls, certificate: /etc/ssl/%1/fullchain.pem, renew: [certbot, renew, "
                   u"--cert-name, %1] } ] })"_s.arg(service);
    return nullptr;
}

void CertificateExecutor::fleet(const TargetQuery &query, std::function<void(const Fleet &)> done)
{
    m_workers.run<Fleet>([this, query](const Cancellation &) { return readFleet(query); }, std::move(done));
}

Fleet CertificateExecutor::readFleet(const TargetQuery &query) const
{
    Fleet f;
    f.dimension = u"certificates"_s;
    f.scope = query.service;
    QString refusal;
    const QList<CertificateConfig> *certificates = certificatesOf(query.service, &refusal);
    if (!certificates) {
        f.error = refusal;
        return f;
    }
    const double window = windowSeconds(query.params);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList unreadable;
    for (const CertificateConfig &c : *certificates) {
        const CertificateFile file = CertificateFile::read(c.file);
        if (!file.ok()) {
            unreadable << u"%1 (%2): %3"_s.arg(c.configKey, c.name, file.error);
            continue;
        }
        const double left = file.secondsLeft(now);
        Target t;
        t.name = c.name;
        t.labels = { { u"service"_s, c.service }, { u"subject"_s, file.subject }, { u"issuer"_s, file.issuer },
            { u"file"_s, c.file } };
        t.state = left <= 0 ? u"expired"_s : left <= window ? u"expiring"_s : u"valid"_s;
        t.metrics = { { u"expires_in_seconds"_s, left } };
        t.healthy = left > 0;
        f.members << t;
    }
    // A file the server serves that cannot be read is a human's to look at, not a renewal's.
    if (!unreadable.isEmpty()) {
        f.error = unreadable.join(u"; "_s);
        f.members.clear();
        return f;
    }
    f.observedAt = fromMillis(now.toMSecsSinceEpoch());
    f.ok = true;
    return f;
}

void CertificateExecutor::execute(const ActionRequest &request, std::function<void(const ActionResult &)> done)
{
    m_workers.run<ActionResult>(
        [this, request](const Cancellation &c) {
            if (request.action != u"renew_certificate"_s)
                return failed(u"executors.certificates runs renew_certificate only, not %1"_s.arg(request.action));
            return renew(request, c);
        },
        std::move(done));
}

ActionResult CertificateExecutor::renew(const ActionRequest &request, const Cancellation &c) const
{
    QString refusal;
    const QList<CertificateConfig> *certificates = certificatesOf(request.service, &refusal);
    if (!certificates)
        return refused(refusal);
    if (!request.params.value(u"issuer"_s).toString().isEmpty())
        return refused(u"executors.certificates renews with each certificate's own `renew` command and cannot choose "
                       u"an issuer: remove `issuer` from the step, or name the issuer in the command"_s);
    const double window = windowSeconds(request.params);

    ActionResult r;
    QStringList renewed;
    QStringList notDue;
    QStringList failures;
    double leastLeft = -1;
    for (const QString &name : request.targets) {
        const auto it = std::find_if(
            certificates->cbegin(), certificates->cend(), [&](const CertificateConfig &cc) { return cc.name == name; });
        if (it == certificates->cend()) {
            failures << u"%1: service %2 has no certificate of that name in executors.certificates"_s.arg(
                name, request.service);
            continue;
        }
        const CertificateFile before = CertificateFile::read(it->file);
        if (!before.ok()) {
            failures << u"%1: %2"_s.arg(name, before.error);
            continue;
        }
        const double leftBefore = before.secondsLeft(QDateTime::currentDateTimeUtc());
        if (leftBefore > window) {
            notDue << u"%1 (valid %2 more days)"_s.arg(name).arg(leftBefore / secondsPerDay, 0, 'f', 0);
            continue;
        }
        const RenewalCommand::Outcome ran = RenewalCommand::run(*it, m_config.passEnv, c);
        if (!ran.ok) {
            failures << u"%1: %2"_s.arg(name, ran.error);
            continue;
        }
        const CertificateFile after = CertificateFile::read(it->file);
        const double leftAfter = after.ok() ? after.secondsLeft(QDateTime::currentDateTimeUtc()) : 0;
        if (!after.ok()) {
            failures << u"%1: the renewal command succeeded, but %2"_s.arg(name, after.error);
        } else if (leftAfter <= window) {
            failures << u"%1: %2 exited with status 0, but %3 still expires in %4 (%5): does the command write this "
                        u"file?"_s.arg(name, QFileInfo(it->renew.value(0)).fileName(), it->file, daysText(leftAfter),
                            after.notAfterText());
        } else {
            renewed << u"%1 (was %2, now %3, until %4; %5 s)"_s
                           .arg(name, daysText(leftBefore), daysText(leftAfter), after.notAfterText())
                           .arg(double(ran.elapsedMs) / 1000.0, 0, 'f', 1);
            r.affected << name;
            leastLeft = leastLeft < 0 ? leftAfter : std::min(leastLeft, leftAfter);
        }
    }
    r.ok = failures.isEmpty();
    r.error = failures.join(u"; "_s);
    r.facts.insert(u"renewed"_s, double(r.affected.size()));
    if (leastLeft >= 0)
        r.facts.insert(u"days_left"_s, leastLeft / secondsPerDay);
    QStringList parts;
    if (!renewed.isEmpty())
        parts << u"renewed "_s + renewed.join(u", "_s);
    if (!failures.isEmpty())
        parts << r.error;
    if (!notDue.isEmpty())
        parts << u"not due: "_s + notDue.join(u", "_s);
    r.detail = parts.isEmpty() ? u"no certificate chosen"_s : parts.join(u"; "_s);
    return r;
}

} // namespace antibody
