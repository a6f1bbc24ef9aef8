// Quiescent-state-based reclamation (liburcu's QSBR flavour) for the data plane's lock-free
// tables (architecture section 3): workers read tables through plain atomic pointers with no
// lock and no per-packet cost, and announce a quiescent state once per loop turn; the control
// thread publishes a new version with a release store, waits for a grace period with
// Synchronize() and then frees the old version.
//
// Thread: RegisterThread/UnregisterThread/Quiescent/Offline/Online are called by the reader
// thread itself (the workers). Synchronize() from a writer (control, mgmt, benchmarks); it
// returns at once when no reader is registered and online.
#pragma once

namespace sabina::rcu {

void RegisterThread();
void UnregisterThread();
// A point where the calling reader holds no reference to any RCU-protected object.
void Quiescent();
// A reader about to block (poll/epoll) goes offline so writers do not wait for it.
void Offline();
void Online();
// Waits until every online reader has passed a quiescent state.
void Synchronize();

// RAII for a reader thread's registration.
class ReaderScope {
 public:
  ReaderScope() { RegisterThread(); }
  ~ReaderScope() { UnregisterThread(); }
  ReaderScope(const ReaderScope&) = delete;
  ReaderScope& operator=(const ReaderScope&) = delete;
};

}  // namespace sabina::rcu
