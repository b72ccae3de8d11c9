#pragma once

#include "engine/ports/tokenrecords.h"

#include <QString>
#include <QTextStream>
#include <memory>

namespace antibody::ctl {

// The API tokens of the team server a configuration describes, in the store that server
// uses: server.database's PostgreSQL when it has one, else the SQLite file of the data
// folder (--data-dir, else the configuration's data_dir, else the default), as
// antibody-server chooses. Failures of the store are written to `err`.
class TokenStore
{
public:
    static std::unique_ptr<TokenStore> open(
        const QString &configFile, const QString &dataDir, QTextStream &err, QString *error);
    virtual ~TokenStore();

    TokenRecords &records() { return *m_records; }
    const QString &location() const { return m_location; }

protected:
    TokenStore() = default;
    TokenRecords *m_records = nullptr;
    QString m_location;
};

} // namespace antibody::ctl
