// ccguard.cc: see ccguard.h. The one C++ file of paiban (the Debian toolchain's g++, C++17).
#include "ccguard.h"

#include <cxxabi.h>
#include <exception>
#include <new>

namespace {

// Call f; an exception becomes a status. A thread's cancellation (abi::__forced_unwind) is not
// an error and goes on (libstdc++'s rule: it must be rethrown).
template <class F> pb_cc_status guarded(F f)
{
    try {
        f();
        return PB_CC_OK;
    } catch (abi::__forced_unwind &) {
        throw;
    } catch (const std::bad_alloc &) {
        return PB_CC_NOMEM;
    } catch (...) {
        return PB_CC_FAILED;
    }
}

} // namespace

extern "C" pb_cc_status pb_ccguard_open(pb_cc_open_fn open, const char *config, void **cc)
{
    *cc = reinterpret_cast<void *>(-1);
    return guarded([&] { *cc = open(config); });
}

extern "C" pb_cc_status pb_ccguard_convert(pb_cc_convert_fn convert, void *cc, const char *input,
                                           size_t length, char **out)
{
    *out = nullptr;
    return guarded([&] { *out = convert(cc, input, length); });
}
