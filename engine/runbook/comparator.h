#pragma once

#include <QString>
#include <QStringView>
#include <optional>

namespace antibody {

enum class Comparator { Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual };

// ">", ">=", "<", "<=", "==", "!="
std::optional<Comparator> parseComparator(QStringView text);
QString comparatorText(Comparator c);
bool compare(double lhs, Comparator c, double rhs);

} // namespace antibody
