#include "engine/core/printable.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString printable(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\n' || c == u'\r' || c == u'\t')
            out += u' ';
        else if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            out += u"\\x%1"_s.arg(c.unicode(), 2, 16, QChar(u'0'));
        else
            out += c;
    }
    return out;
}

} // namespace antibody
