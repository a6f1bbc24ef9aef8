#include "base/rcu.h"

#define _LGPL_SOURCE
#include <urcu/urcu-qsbr.h>

namespace sabina::rcu {

void RegisterThread() { urcu_qsbr_register_thread(); }
void UnregisterThread() { urcu_qsbr_unregister_thread(); }
void Quiescent() { urcu_qsbr_quiescent_state(); }
void Offline() { urcu_qsbr_thread_offline(); }
void Online() { urcu_qsbr_thread_online(); }
void Synchronize() { urcu_qsbr_synchronize_rcu(); }

}  // namespace sabina::rcu
