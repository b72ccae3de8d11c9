#include "simulator/world/fault.h"

#include "simulator/world/databasephysics.h"

using namespace Qt::StringLiterals;

namespace antibody::sim {

Fault Fault::connectionLeak(QString application, Duration interval, int backlog)
{
    return Fault { Kind::ConnectionLeak, std::move(application), {}, double(backlog), 0, interval, {} };
}

Fault Fault::poolSaturation(QString service, QStringList pods, int stuckSlots)
{
    return Fault { Kind::PoolSaturation, std::move(service), std::move(pods), double(stuckSlots), 0, {}, {} };
}

Fault Fault::trafficSpike(QString service, double multiplier, Duration ramp)
{
    return Fault { Kind::TrafficSpike, std::move(service), {}, multiplier, 0, ramp, {} };
}

Fault Fault::crashLoop(QString service, QStringList pods, QString reason, Duration after)
{
    return Fault { Kind::CrashLoop, std::move(service), std::move(pods), 0, 0, after, std::move(reason) };
}

Fault Fault::crashLoopInPod(QString service, QStringList pods, QString reason, Duration after)
{
    Fault f = crashLoop(std::move(service), std::move(pods), std::move(reason), after);
    f.secondary = 1; // in the pod: a new pod starts clean
    return f;
}

Fault Fault::badDeploy(QString service, QString version, double errorRate, double addedLatency, double orderFactor)
{
    Fault f { Kind::BadDeploy, std::move(service), {}, errorRate, addedLatency, {}, std::move(version) };
    f.others = { QString::number(orderFactor) };
    return f;
}

Fault Fault::certificateExpiry(QString certificate, Duration left, QString issuerFailure)
{
    return Fault { Kind::CertificateExpiry, std::move(certificate), {}, 0, 0, left, std::move(issuerFailure) };
}

Fault Fault::replicationLag(QString replica, double seconds)
{
    return Fault { Kind::ReplicationLag, std::move(replica), {}, seconds, 0, {}, {} };
}

Fault Fault::primaryDown(QString reason)
{
    return Fault { Kind::PrimaryDown, u"orders-db"_s, {}, 0, 0, {}, std::move(reason) };
}

Fault Fault::regionDegraded(QString region, double errorRate, double addedLatency)
{
    return Fault { Kind::RegionDegraded, std::move(region), {}, errorRate, addedLatency, {}, {} };
}

Fault Fault::dataCorruption(QString detail)
{
    return Fault { Kind::DataCorruption, u"orders-db"_s, {}, 0, 0, {}, std::move(detail) };
}

Fault Fault::securitySignal(QString host, QString detail)
{
    return Fault { Kind::SecuritySignal, std::move(host), {}, 0, 0, {}, std::move(detail) };
}

Fault Fault::unknownCascade(QStringList services, double errorRate, double addedLatency, QString hiddenCause)
{
    return Fault { Kind::UnknownCascade, {}, std::move(services), errorRate, addedLatency, {}, std::move(hiddenCause) };
}

Fault Fault::paymentsInFlight(QString detail)
{
    return Fault { Kind::PaymentsInFlight, u"payments-svc"_s, {}, 0, 0, {}, std::move(detail) };
}

QString Fault::kindName() const
{
    switch (kind) {
    case Kind::ConnectionLeak:
        return u"connection_leak"_s;
    case Kind::PoolSaturation:
        return u"pool_saturation"_s;
    case Kind::TrafficSpike:
        return u"traffic_spike"_s;
    case Kind::CrashLoop:
        return u"crash_loop"_s;
    case Kind::BadDeploy:
        return u"bad_deploy"_s;
    case Kind::CertificateExpiry:
        return u"certificate_expiry"_s;
    case Kind::ReplicationLag:
        return u"replication_lag"_s;
    case Kind::PrimaryDown:
        return u"primary_down"_s;
    case Kind::RegionDegraded:
        return u"region_degraded"_s;
    case Kind::DataCorruption:
        return u"data_corruption"_s;
    case Kind::SecuritySignal:
        return u"security_signal"_s;
    case Kind::UnknownCascade:
        return u"unknown_cascade"_s;
    case Kind::PaymentsInFlight:
        return u"payments_in_flight"_s;
    }
    return {};
}

QString Fault::describe() const
{
    switch (kind) {
    case Kind::ConnectionLeak:
        return u"connection leak: %1 forgets a database session every %2 (%3 leaked already)"_s
            .arg(target, formatDuration(period))
            .arg(magnitude);
    case Kind::PoolSaturation:
        return u"pool saturation: %1 of %2's client pool slots stuck on %3"_s.arg(magnitude).arg(
            target, others.join(u", "_s));
    case Kind::TrafficSpike:
        return u"traffic: %1 load moves to %2x normal over %3"_s.arg(target).arg(magnitude).arg(formatDuration(period));
    case Kind::CrashLoop:
        return text.isEmpty()
            ? u"crash loop on %1 healed"_s.arg(others.join(u", "_s))
            : u"crash loop: %1 die %2 after each start (%3)%4"_s.arg(others.join(u", "_s), formatDuration(period), text,
                secondary > 0 ? u"; a new pod starts clean"_s : QString());
    case Kind::BadDeploy:
        return u"deploy: %1 rolls out %2, which fails %3% of requests"_s.arg(target, text)
            .arg(magnitude * 100.0, 0, 'f', 0);
    case Kind::CertificateExpiry:
        return u"certificate %1 now expires in %2%3"_s.arg(
            target, formatDuration(period), text.isEmpty() ? QString() : u"; renewals fail: "_s + text);
    case Kind::ReplicationLag:
        return u"replication: %1 falls %2 s behind"_s.arg(target).arg(magnitude);
    case Kind::PrimaryDown:
        return u"orders-db primary stops answering (%1)"_s.arg(text);
    case Kind::RegionDegraded:
        return u"region %1 degraded: %2% of its requests fail"_s.arg(target).arg(magnitude * 100.0, 0, 'f', 0);
    case Kind::DataCorruption:
        return u"orders-db: page checksums fail (%1)"_s.arg(text);
    case Kind::SecuritySignal:
        return u"intrusion signal on %1 (%2)"_s.arg(target, text);
    case Kind::UnknownCascade:
        return u"%1 start failing together (hidden cause: %2)"_s.arg(others.join(u", "_s), text);
    case Kind::PaymentsInFlight:
        return u"payment provider hangs with transactions in flight (%1)"_s.arg(text);
    }
    return {};
}

namespace {

void leak(Database &db, TimePoint now, const Fault &f)
{
    const int backlog = static_cast<int>(f.magnitude);
    for (int i = backlog; i >= 1; --i) {
        if (db.inUse() >= db.maxConnections)
            break;
        openLeakedSession(db, f.target, now - f.period * i);
    }
    db.leak = ConnectionLeak { f.target, f.period, now + f.period };
}

void badDeploy(Service &svc, const Fault &f)
{
    Version v;
    v.name = f.text;
    v.errorRate = f.magnitude;
    v.addedLatency = f.secondary;
    v.orderFactor = f.others.value(0, u"1"_s).toDouble();
    svc.versions.insert(v.name, v);
    svc.rolloutTo = v.name;
}

} // namespace

void applyFault(FleetState &fleet, TimePoint now, const Fault &f)
{
    switch (f.kind) {
    case Fault::Kind::ConnectionLeak:
        leak(fleet.database, now, f);
        break;
    case Fault::Kind::PoolSaturation:
        for (const QString &name : f.others) {
            if (Pod *p = fleet.pod(name))
                p->stuckSlots = static_cast<int>(f.magnitude);
        }
        break;
    case Fault::Kind::TrafficSpike:
        if (Service *s = fleet.service(f.target)) {
            s->trafficMultiplier = f.magnitude;
            s->trafficRamp = f.period;
        }
        break;
    case Fault::Kind::CrashLoop:
        for (const QString &name : f.others) {
            if (Pod *p = fleet.pod(name)) {
                p->crashReason = f.text;
                p->crashAfter = f.text.isEmpty() ? std::nullopt : std::optional<Duration>(f.period);
                p->crashCauseInPod = f.secondary > 0;
            }
        }
        break;
    case Fault::Kind::BadDeploy:
        if (Service *s = fleet.service(f.target))
            badDeploy(*s, f);
        break;
    case Fault::Kind::CertificateExpiry:
        if (Certificate *c = fleet.certificate(f.target)) {
            c->notAfter = now + f.period;
            c->issuerFailure = f.text;
        }
        break;
    case Fault::Kind::ReplicationLag:
        for (DbInstance &i : fleet.database.instances) {
            if (i.name == f.target)
                i.lagTarget = f.magnitude;
        }
        break;
    case Fault::Kind::PrimaryDown:
        for (DbInstance &i : fleet.database.instances) {
            if (i.role == u"primary"_s)
                i.role = u"down"_s;
        }
        break;
    case Fault::Kind::RegionDegraded:
        if (Region *r = fleet.region(f.target)) {
            r->state = f.magnitude > 0 ? u"degraded"_s : u"serving"_s;
            r->extraErrorRate = f.magnitude;
            r->extraLatency = f.secondary;
        }
        break;
    case Fault::Kind::DataCorruption:
        fleet.database.corrupted = true;
        fleet.database.corruptionDetail = f.text;
        fleet.database.checksumFailures = std::max(1, fleet.database.checksumFailures);
        break;
    case Fault::Kind::SecuritySignal:
        if (Host *h = fleet.host(f.target)) {
            h->compromised = true;
            h->intrusionDetail = f.text;
            h->intrusionSignals = std::max(1, h->intrusionSignals);
        }
        break;
    case Fault::Kind::UnknownCascade:
        for (const QString &name : f.others) {
            if (Service *s = fleet.service(name)) {
                s->extraErrorRate = f.magnitude;
                s->extraLatency = f.secondary;
            }
        }
        break;
    case Fault::Kind::PaymentsInFlight:
        fleet.payments.providerHanging = true;
        if (Service *s = fleet.service(f.target))
            s->poolHoldSeconds = 6.0; // every payment holds a client slot while the provider hangs
        break;
    }
}

} // namespace antibody::sim
