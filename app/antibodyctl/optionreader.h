#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace antibody::ctl {

// A command's options one at a time, each `--name value` or `--name=value`, with
// the errors every command words the same way.
class OptionReader
{
public:
    OptionReader(QStringList args, QString command)
        : m_args(std::move(args))
        , m_command(std::move(command))
    {
    }

    // Moves to the next option; false when there is none left.
    bool next()
    {
        if (++m_index >= m_args.size())
            return false;
        m_name = m_args.at(m_index);
        m_inlineValue.reset();
        if (const qsizetype eq = m_name.indexOf(u'='); m_name.startsWith(QStringLiteral("--")) && eq > 0) {
            m_inlineValue = m_name.mid(eq + 1);
            m_name = m_name.left(eq);
        }
        return true;
    }

    // "--scenario", without any "=value".
    const QString &name() const { return m_name; }

    // The option's value: after its '=', else the next argument. False (with `error`) when there is none.
    bool take(QString *value, QString *error)
    {
        if (m_inlineValue) {
            *value = *m_inlineValue;
            return true;
        }
        if (m_index + 1 >= m_args.size()) {
            *error = QStringLiteral("%1 needs a value (see `antibodyctl %2 --help`)").arg(m_name, m_command);
            return false;
        }
        *value = m_args.at(++m_index);
        return true;
    }

    QString unknown() const
    {
        return QStringLiteral("unknown option '%1' (see `antibodyctl %2 --help`)").arg(m_args.at(m_index), m_command);
    }

private:
    QStringList m_args;
    QString m_command;
    qsizetype m_index = -1;
    QString m_name;
    std::optional<QString> m_inlineValue;
};

} // namespace antibody::ctl
