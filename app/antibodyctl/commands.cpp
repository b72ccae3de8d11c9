#include "app/antibodyctl/command.h"

using namespace Qt::StringLiterals;

namespace antibody::ctl {

const QList<Command> &commands()
{
    static const QList<Command> list {
        { u"version"_s, u"Print the version of antibodyctl and of the libraries it runs on."_s, &runVersion },
    };
    return list;
}

} // namespace antibody::ctl
