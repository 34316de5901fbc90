#define _GNU_SOURCE
#include "sc_batch.h"
#include "sc_tsc.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

uint64_t sc_clock_raw_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sc_alarm_handler(int signal) { (void)signal; }

int sc_timeout_arm(uint64_t ns) {
    static __thread int have_timer;
    static __thread timer_t timer;
    if (!have_timer) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = sc_alarm_handler;  // no SA_RESTART: a blocked read returns EINTR
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGALRM, &sa, 0) != 0) return -1;
        sigset_t alarm;  // a parent may have started us with it blocked
        sigemptyset(&alarm);
        sigaddset(&alarm, SIGALRM);
        pthread_sigmask(SIG_UNBLOCK, &alarm, 0);
        struct sigevent ev;
        memset(&ev, 0, sizeof ev);
        ev.sigev_notify = SIGEV_THREAD_ID;
        ev.sigev_signo = SIGALRM;
        ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
        if (timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0) return -1;
        have_timer = 1;
    }
    struct itimerspec it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = (time_t)(ns / 1000000000u);
    it.it_value.tv_nsec = (long)(ns % 1000000000u);
    return timer_settime(timer, 0, &it, 0);
}

void sc_time_batch(sc_loop_fn loop, sc_ctx *ctx, uint64_t iterations, sc_batch_time *out) {
    if (ctx->timeout_ns) sc_timeout_arm(ctx->timeout_ns);
    ctx->part_ns = 0;
    uint64_t ns0 = sc_clock_raw_ns();
    uint64_t tsc0 = sc_tsc_begin();
    loop(ctx, iterations);
    uint64_t tsc1 = sc_tsc_end();
    uint64_t ns1 = sc_clock_raw_ns();
    if (ctx->timeout_ns) sc_timeout_arm(0);
    out->ns = ns1 - ns0;
    out->cycles = tsc1 - tsc0;
    out->part_ns = ctx->part_ns;
    out->involuntary = 0;
}

static volatile sig_atomic_t sc_stop;

static volatile sig_atomic_t sc_stop_sent;

void sc_stop_handler(int signal) { sc_stop = signal; }
void sc_stop_info_handler(int signal, siginfo_t *info, void *context) {
    (void)context;
    sc_stop = signal;
    sc_stop_sent = info && (info->si_code == SI_USER || info->si_code == SI_QUEUE);
}
int sc_stop_signal(void) { return sc_stop; }
int sc_stop_was_sent(void) { return sc_stop_sent; }
void sc_stop_reset(void) { sc_stop = 0; sc_stop_sent = 0; }
