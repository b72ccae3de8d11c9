#include "connectors/doctor/certificateprobe.h"

#include "connectors/certificates/certificatefile.h"
#include "connectors/certificates/renewalcommand.h"

using namespace Qt::StringLiterals;

namespace antibody {

QList<CertificateFacts> probeCertificates(const CertificatesConfig &config)
{
    QList<CertificateFacts> out;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QList<CertificateConfig> &list : config.services) {
        for (const CertificateConfig &c : list) {
            CertificateFacts facts { c.name, c.service, false, {} };
            QStringList lacks;
            const CertificateFile file = CertificateFile::read(c.file);
            QString certificate;
            if (file.ok())
                certificate = u"%1: %2 from %3, %4 days left (until %5)"_s.arg(c.file, file.subject, file.issuer)
                                  .arg(file.secondsLeft(now) / 86'400.0, 0, 'f', 1)
                                  .arg(file.notAfterText());
            else
                lacks << u"%1.certificate: %2"_s.arg(c.configKey, file.error);
            QString problem;
            const QString program = RenewalCommand::resolveProgram(c.renew.value(0), &problem);
            if (program.isEmpty())
                lacks << u"%1.renew: %2"_s.arg(c.configKey, problem);
            facts.ready = lacks.isEmpty();
            facts.detail = facts.ready ? u"service %1: %2; renews with %3"_s.arg(c.service, certificate, program)
                                       : u"service %1: %2"_s.arg(c.service, lacks.join(u"; "_s));
            out << facts;
        }
    }
    return out;
}

} // namespace antibody
