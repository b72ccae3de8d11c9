#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace antibody {

// A password, token or routing key. It can be used but not printed: there is
// no conversion to text and no QDebug operator, so it cannot slip into a log
// line, an error message, the database or an export by accident.
class Secret
{
public:
    Secret() = default;
    explicit Secret(QByteArray value)
        : m_value(std::move(value))
    {
    }

    bool isEmpty() const { return m_value.isEmpty(); }
    // Only where the secret is handed to the system that needs it (libcurl, libpq).
    const QByteArray &reveal() const { return m_value; }

    friend bool operator==(const Secret &, const Secret &) = default;

private:
    QByteArray m_value;
};

// Where a secret comes from: `password_env: NAME` or `password_file: PATH` in the
// configuration. The configuration text itself never holds one.
struct SecretSource
{
    QString env; // environment variable name
    QString file; // path; one trailing newline is dropped
    QString key; // the configuration key, for errors: "executors.postgres.password_file"

    bool isSet() const { return !env.isEmpty() || !file.isEmpty(); }
    // What the secret is read from, for messages: "environment variable PGPASSWORD".
    QString describe() const;

    struct Resolved
    {
        std::optional<Secret> secret;
        QString error; // names the key and what to do; never the value
    };
    Resolved resolve() const;
};

} // namespace antibody
