#pragma once

#include "engine/core/systemclock.h"
#include "simulator/kubeapi/fakekubernetesapi.h"

#include <QAbstractHttpServer>
#include <QString>
#include <memory>

namespace antibody::sim {
class World;
}

namespace antibody::ctl {

// `antibodyctl simulate --serve-kubernetes ADDR`: the simulated fleet's FAKE Kubernetes
// API (sim::FakeKubernetesApi) over HTTP, or HTTPS with the certificate given, for the
// real KubernetesExecutor of an engine outside. It writes the kubeconfig that engine
// needs: the server, the certificate as its authority, and the bearer token (or the
// token file).
class FakeKubernetesEndpoint : public QAbstractHttpServer
{
    Q_OBJECT
public:
    struct Options
    {
        QString address; // HOST:PORT
        QString certFile; // PEM; with keyFile: HTTPS
        QString keyFile;
        QString tokenFile; // the bearer token clients must send; empty: a random one
        QString kubeconfig; // where to write the kubeconfig; empty: nowhere
    };

    explicit FakeKubernetesEndpoint(sim::World &world, QObject *parent = nullptr);
    ~FakeKubernetesEndpoint() override;

    bool start(const Options &options, QString *error);
    QString url() const { return m_url; }
    sim::FakeKubernetesApi &api() { return *m_api; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    bool writeKubeconfig(const Options &options, const QByteArray &token, QString *error) const;

    sim::World &m_world;
    SystemClock m_wall;
    std::unique_ptr<sim::FakeKubernetesApi> m_api;
    QString m_url;
};

} // namespace antibody::ctl
