#pragma once

#include <QString>
#include <stdexcept>

namespace antibody {

// A database operation that failed, with a message that names the file and says
// what to do. Thrown inside the SQLite store only; the store's public calls turn it
// into a refusal, an error result or a report to its failure handler.
class StoreError : public std::runtime_error
{
public:
    explicit StoreError(const QString &message)
        : std::runtime_error(message.toStdString())
        , m_message(message)
    {
    }

    const QString &message() const { return m_message; }

private:
    QString m_message;
};

} // namespace antibody
