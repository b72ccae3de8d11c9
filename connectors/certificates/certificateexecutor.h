#pragma once

#include "connectors/certificates/certificatefile.h"
#include "connectors/config/configuration.h"
#include "connectors/work/workerpool.h"
#include "engine/ports/actionexecutor.h"

#include <QObject>

namespace antibody {

// The `certificates` family on real files: a certificate is a PEM file a server serves,
// renewed by the team's own command (executors.certificates). The fleet of a service is
// its configured files, each read now with its expiry; any other service is refused
// before anything runs, as the Kubernetes executor refuses an unmapped one.
//   renew_certificate  runs the renewal command of each chosen certificate still due
//                      (RenewalCommand: an argument vector, a timeout that kills), then
//                      reads the file again: renewed only when its notAfter moved past
//                      `before_expiry`. Installing it without a restart is the command's
//                      business (certbot's deploy hook, a server that reloads the file).
// The commands run one at a time on a worker thread of their own.
class CertificateExecutor : public QObject, public ActionExecutor
{
    Q_OBJECT
public:
    explicit CertificateExecutor(CertificatesConfig config, QObject *parent = nullptr);

    QString family() const override;
    QStringList actions() const override;
    void fleet(const TargetQuery &query, std::function<void(const Fleet &)> done) override;
    void execute(const ActionRequest &request, std::function<void(const ActionResult &)> done) override;

    // "2 certificates of shop, api" for the start-up lines.
    QString describe() const;

private:
    // The service's certificates; null with `refusal` saying what to add when it has none.
    const QList<CertificateConfig> *certificatesOf(const QString &service, QString *refusal) const;
    Fleet readFleet(const TargetQuery &query) const;
    ActionResult renew(const ActionRequest &request, const Cancellation &c) const;

    CertificatesConfig m_config;
    WorkerPool m_workers; // last: destroyed first, so no job outlives the configuration
};

} // namespace antibody
