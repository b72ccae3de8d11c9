#include "app/antibodyctl/optionreader.h"

using namespace Qt::StringLiterals;

namespace antibody::ctl {

OptionReader::OptionReader(QStringList args, QString command)
    : m_args(std::move(args))
    , m_command(std::move(command))
{
}

QString OptionReader::takeDataDir(QStringList &args, QString *error)
{
    QString value;
    for (qsizetype i = 0; i < args.size();) {
        if (args.at(i) == u"--data-dir"_s) {
            if (i + 1 >= args.size() || args.at(i + 1).isEmpty()) {
                if (error)
                    *error = u"--data-dir needs a folder: --data-dir DIR"_s;
                args.remove(i);
                return {};
            }
            value = args.at(i + 1);
            args.remove(i, 2);
        } else if (args.at(i).startsWith(u"--data-dir="_s)) {
            value = args.at(i).mid(11);
            args.remove(i);
            if (value.isEmpty() && error)
                *error = u"--data-dir needs a folder: --data-dir DIR"_s;
        } else {
            ++i;
        }
    }
    return value;
}

bool OptionReader::next()
{
    if (++m_index >= m_args.size())
        return false;
    m_argument = m_args.at(m_index);
    m_name = m_argument;
    m_inlineValue.reset();
    if (const qsizetype eq = m_name.indexOf(u'='); m_name.startsWith(u"--"_s) && eq > 0) {
        m_inlineValue = m_name.mid(eq + 1);
        m_name = m_name.left(eq);
    }
    return true;
}

std::optional<QString> OptionReader::take()
{
    if (m_inlineValue)
        return *m_inlineValue;
    if (m_index + 1 >= m_args.size())
        return std::nullopt;
    return m_args.at(++m_index);
}

bool OptionReader::take(QString *value, QString *error)
{
    const std::optional<QString> taken = take();
    if (!taken) {
        *error = u"%1 needs a value (see `antibodyctl %2 --help`)"_s.arg(m_name, m_command);
        return false;
    }
    *value = *taken;
    return true;
}

QString OptionReader::unknown() const
{
    return u"unknown option '%1' (see `antibodyctl %2 --help`)"_s.arg(m_argument, m_command);
}

} // namespace antibody::ctl
