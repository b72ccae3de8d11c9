#include "connectors/environment/servicerouter.h"

using namespace Qt::StringLiterals;

namespace antibody {

ServiceRouter::ServiceRouter(
    QString family, QString configKey, QList<QPair<QString, ActionExecutor *>> routes, QObject *context)
    : m_family(std::move(family))
    , m_configKey(std::move(configKey))
    , m_routes(std::move(routes))
    , m_context(context)
{
}

QStringList ServiceRouter::actions() const
{
    QStringList out;
    for (const auto &[service, executor] : m_routes) {
        for (const QString &a : executor->actions()) {
            if (!out.contains(a))
                out << a;
        }
    }
    return out;
}

ActionExecutor *ServiceRouter::route(const QString &service, QString *error) const
{
    QStringList served;
    for (const auto &[name, executor] : m_routes) {
        if (name == service)
            return executor;
        served << name;
    }
    *error = u"no entry of %1 serves %2 (configured: %3); add one with service: %2"_s.arg(
        m_configKey, service.isEmpty() ? u"an incident without a service label"_s : service, served.join(u", "_s));
    return nullptr;
}

void ServiceRouter::fleet(const TargetQuery &query, std::function<void(const Fleet &)> done)
{
    QString error;
    if (ActionExecutor *e = route(query.service, &error)) {
        e->fleet(query, std::move(done));
        return;
    }
    Fleet f;
    f.scope = query.service;
    f.error = error;
    QMetaObject::invokeMethod(
        m_context, [done, f] { done(f); }, Qt::QueuedConnection);
}

void ServiceRouter::execute(const ActionRequest &request, std::function<void(const ActionResult &)> done)
{
    QString error;
    if (ActionExecutor *e = route(request.service, &error)) {
        e->execute(request, std::move(done));
        return;
    }
    ActionResult r;
    r.error = error;
    QMetaObject::invokeMethod(
        m_context, [done, r] { done(r); }, Qt::QueuedConnection);
}

} // namespace antibody
