#pragma once

#include "engine/ports/actionexecutor.h"

#include <QList>
#include <QObject>
#include <QPair>

namespace antibody {

// One family served by several executors, each for its own services (two
// PostgreSQL servers: orders-db and users-db). The engine knows one executor per
// family; this one hands each call to the executor of the call's service.
class ServiceRouter : public ActionExecutor
{
public:
    // `configKey` names where the routes come from, for errors: "executors.postgres".
    // Refusals are delivered on `context`'s thread, never inside the call.
    ServiceRouter(QString family, QString configKey, QList<QPair<QString, ActionExecutor *>> routes, QObject *context);

    QString family() const override { return m_family; }
    QStringList actions() const override;
    void fleet(const TargetQuery &query, std::function<void(const Fleet &)> done) override;
    void execute(const ActionRequest &request, std::function<void(const ActionResult &)> done) override;

private:
    ActionExecutor *route(const QString &service, QString *error) const;

    QString m_family;
    QString m_configKey;
    QList<QPair<QString, ActionExecutor *>> m_routes;
    QObject *m_context;
};

} // namespace antibody
