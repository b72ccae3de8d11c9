#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace antibody::ctl {

// A command's arguments one at a time: options as `--name value` or `--name=value`,
// flags as `--name` alone, and what is left (files, ids) as it was given. Every
// antibodyctl command reads its arguments through here, so `--x=v` and `--x v` mean
// the same everywhere; the errors a command prints are its own.
class OptionReader
{
public:
    OptionReader(QStringList args, QString command);

    // Removes `--data-dir DIR` or `--data-dir=DIR`, wherever it stands, from `args` and
    // returns DIR (empty when absent; the last one wins). Sets `error` when the option
    // has no value. Commands take it out first, so that their own loops never see it.
    static QString takeDataDir(QStringList &args, QString *error);

    // Moves to the next argument; false when there is none left.
    bool next();

    // The argument as given: "--scenario=x", "runbooks/a.yaml".
    const QString &argument() const { return m_argument; }
    // "--scenario", without any "=value"; for an argument that is no option, all of it.
    const QString &name() const { return m_name; }
    // Whether it starts with '-': an option or flag, known or not.
    bool isOption() const { return m_name.startsWith(u'-'); }
    // The option `name`, in either form; its value is take()'s.
    bool is(QStringView name) const { return m_name == name; }
    // The flag `name`, and no "=value" after it (a flag takes none).
    bool flag(QStringView name) const { return m_name == name && !m_inlineValue; }

    // The option's value: after its '=', else the next argument; nullopt when there is none.
    std::optional<QString> take();
    // The same, with the error every command words alike when there is none.
    bool take(QString *value, QString *error);

    QString unknown() const;

private:
    QStringList m_args;
    QString m_command;
    qsizetype m_index = -1;
    QString m_argument;
    QString m_name;
    std::optional<QString> m_inlineValue;
};

} // namespace antibody::ctl
