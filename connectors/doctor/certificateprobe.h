#pragma once

#include "connectors/config/configuration.h"

#include <QList>
#include <QString>

namespace antibody {

// What `antibodyctl doctor` found of one certificate of executors.certificates: its file
// readable and a PEM certificate (with the days it has left), and its renewal command's
// program found and executable. Local checks only: nothing is run.
struct CertificateFacts
{
    QString name;
    QString service;
    bool ready = false;
    QString detail; // "service shop: ...": what is there, or exactly what is missing
};

QList<CertificateFacts> probeCertificates(const CertificatesConfig &config);

} // namespace antibody
