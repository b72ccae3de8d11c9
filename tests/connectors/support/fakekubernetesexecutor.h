#pragma once

#include "connectors/kubernetes/kubernetesexecutor.h"
#include "fakekubernetes.h"

#include <QFile>
#include <functional>
#include <memory>

namespace antibody::test {

// The Kubernetes executor as a configuration would set it up against a FakeKubernetes:
// the service checkout-svc is the deployment "checkout" in namespace "shop", and the
// service account's token is read from `tokenFile`, written here. One attempt per
// request and 3 s at most, so a test that goes wrong fails fast. `configure` changes the
// configuration before the executor is made.
inline std::unique_ptr<KubernetesExecutor> executorFor(
    const FakeKubernetes &fake, const QString &tokenFile, const std::function<void(KubernetesConfig &)> &configure = {})
{
    QFile token(tokenFile);
    if (!token.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(tokenFile));
    token.write(fake.token().toUtf8() + '\n');
    token.close();
    KubeAccess access;
    access.server = fake.url();
    access.tokenFile = tokenFile;
    access.describe = QStringLiteral("test service account");
    KubernetesConfig config;
    config.ns = QStringLiteral("shop");
    config.workloads.insert(
        QStringLiteral("checkout-svc"), KubernetesWorkload { QStringLiteral("checkout"), QStringLiteral("shop") });
    config.http.totalTimeout = Duration { 3'000 };
    config.http.maxAttempts = 1;
    config.http.configKey = QStringLiteral("executors.kubernetes");
    if (configure)
        configure(config);
    return std::make_unique<KubernetesExecutor>(config, access);
}

} // namespace antibody::test
