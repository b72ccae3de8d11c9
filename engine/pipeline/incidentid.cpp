#include "engine/pipeline/incidentid.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

constexpr qsizetype fullDigits = 32;

bool isGenerated(const QString &id)
{
    if (id.size() != 4 + fullDigits || !id.startsWith(u"INC-"_s))
        return false;
    for (qsizetype i = 4; i < id.size(); ++i) {
        const QChar c = id.at(i);
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

} // namespace

QString IncidentId::generate()
{
    return generate(*QRandomGenerator::system());
}

QString IncidentId::generate(QRandomGenerator &random)
{
    quint32 words[4];
    random.fillRange(words);
    QString hex;
    for (const quint32 w : words)
        hex += u"%1"_s.arg(w, 8, 16, QChar(u'0'));
    return u"INC-"_s + hex;
}

QString IncidentId::shortForm(const QString &id)
{
    return isGenerated(id) ? id.left(4 + shortDigits) : id;
}

} // namespace antibody
