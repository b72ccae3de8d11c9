#pragma once

#include <memory>
#include <utility>

namespace antibody {

// The one way a callback that may outlive its owner is guarded: a timer on a clock the
// owner does not own, a port's answer, a notifier's receipt. The owner keeps a LifeToken
// and wraps each such callback with guard(); once the owner (and so the token) is gone,
// the wrapped callback does nothing. Single-threaded: the callback runs on the owner's
// thread (callbacks that cross threads use a queued call to a context object instead:
// models/link/postback.h).
class LifeToken
{
public:
    LifeToken() = default;
    LifeToken(const LifeToken &) = delete; // a copy would outlive the owner it stands for
    LifeToken &operator=(const LifeToken &) = delete;

    template <typename F> auto guard(F f) const
    {
        return [life = std::weak_ptr<const int>(m_life), f = std::move(f)](auto &&...args) mutable {
            if (!life.expired())
                f(std::forward<decltype(args)>(args)...);
        };
    }

private:
    std::shared_ptr<const int> m_life = std::make_shared<const int>(0);
};

} // namespace antibody
