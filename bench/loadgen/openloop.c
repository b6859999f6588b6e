/*
 * Open-loop HTTP/1.1 load generator for bench/overhead.sh MODE=fixed-rate.
 *
 * Request i is due at start + i / rate, whatever happened to the requests before it: the rate is
 * the generator's, not the server's. A due request goes out on an idle keep-alive connection, or
 * waits for one in a queue, and its latency is measured from the time it was due, not from the
 * time it was sent. So a server that stalls is charged for every request that fell due during the
 * stall, as a production client population would see it, and not only for the few requests that
 * were in flight (no coordinated omission). The send lag (sent - due) is reported apart, so a
 * generator that could not keep up is seen as such.
 *
 * One thread, epoll_pwait2 with a nanosecond timeout to the next due time (and the thread's timer
 * slack set to 1 ns, from the default 50 us), one request in flight per connection. Every latency is kept and sorted at the end, so
 * the percentiles are exact.
 *
 *   openloop -p PORT -r RATE -d SECONDS [-c CONNECTIONS] [-u PATH] [-H 'Name: value']...
 *            [-t DRAIN_SECONDS]
 *
 * Prints one line of key=value pairs (times in microseconds); exit code 0 if every request was
 * answered, 1 if some failed or were still unanswered after the drain time, 2 on a usage or
 * set-up error. Connects to 127.0.0.1 only. Needs Linux 5.11 and glibc 2.35 or newer (epoll_pwait2;
 * Debian 12 has them).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 1024
#define MAX_HEADERS 16
#define BUFFER_SIZE 65536

struct connection {
    int fd;
    int busy;
    int64_t due_ns;      /* when the request in flight fell due */
    size_t length;       /* bytes of the response received so far */
    char buffer[BUFFER_SIZE];
};

static struct connection connections[MAX_CONNECTIONS];
static int idle[MAX_CONNECTIONS];
static int idle_count;
static int port;
static char request[8192];
static size_t request_length;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void fail(const char *what) {
    perror(what);
    exit(2);
}

static int open_connection(int epoll, int index) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* Blocking connect on loopback: quick, and only at start or after the server closed one. */
    if (connect(fd, (struct sockaddr *) &address, sizeof address) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epoll_event event = { .events = EPOLLIN, .data.u32 = (uint32_t) index };
    if (epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        close(fd);
        return -1;
    }
    connections[index].fd = fd;
    connections[index].busy = 0;
    connections[index].length = 0;
    return 0;
}

/* A new connection in place of one the server closed or that failed. One that was busy goes back
 * among the idle ones; an idle one (closed by the server's keep-alive timeout) is there already. */
static void reopen(int epoll, int index, int was_busy) {
    epoll_ctl(epoll, EPOLL_CTL_DEL, connections[index].fd, NULL);
    close(connections[index].fd);
    if (open_connection(epoll, index) != 0) fail("reconnect to 127.0.0.1");
    if (was_busy) idle[idle_count++] = index;
}

/* Blocking write of the whole request: the socket buffer is empty when a connection is idle. */
static int send_request(struct connection *c) {
    size_t written = 0;
    while (written < request_length) {
        ssize_t n = write(c->fd, request + written, request_length - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        written += (size_t) n;
    }
    return 0;
}

static const char *find(const char *haystack, size_t length, const char *needle) {
    return memmem(haystack, length, needle, strlen(needle));
}

/* A header's value if the header block [start, end) has it (name matched without case). */
static const char *header_value(const char *start, const char *end, const char *name) {
    size_t name_length = strlen(name);
    const char *line = start;
    while (line < end) {
        const char *eol = find(line, (size_t) (end - line), "\r\n");
        if (eol == NULL) eol = end;
        if ((size_t) (eol - line) > name_length && line[name_length] == ':'
                && strncasecmp(line, name, name_length) == 0) {
            const char *value = line + name_length + 1;
            while (value < eol && (*value == ' ' || *value == '\t')) value++;
            return value;
        }
        line = eol + 2;
    }
    return NULL;
}

/* 1 and the status when the buffer holds a whole response, 0 if more is needed, -1 if it cannot
 * be read (a response without a length, which this generator does not expect from the test app). */
static int complete_response(const struct connection *c, int *status, int *closing) {
    const char *buffer = c->buffer;
    const char *header_end = find(buffer, c->length, "\r\n\r\n");
    if (header_end == NULL) return 0;
    if (c->length < 12 || strncmp(buffer, "HTTP/1.", 7) != 0) return -1;
    *status = atoi(buffer + 9);
    /* Tomcat closes a keep-alive connection after 100 requests (maxKeepAliveRequests). */
    const char *connection = header_value(buffer, header_end + 2, "Connection");
    *closing = connection != NULL && strncasecmp(connection, "close", 5) == 0;
    const char *body = header_end + 4;
    size_t have = c->length - (size_t) (body - buffer);
    if (*status == 204 || *status == 304 || (*status >= 100 && *status < 200)) return 1;
    const char *length = header_value(buffer, header_end + 2, "Content-Length");
    if (length != NULL) return have >= (size_t) strtoull(length, NULL, 10) ? 1 : 0;
    const char *encoding = header_value(buffer, header_end + 2, "Transfer-Encoding");
    if (encoding == NULL || strncasecmp(encoding, "chunked", 7) != 0) return -1;
    const char *chunk = body;
    const char *end = buffer + c->length;
    for (;;) {
        const char *eol = find(chunk, (size_t) (end - chunk), "\r\n");
        if (eol == NULL) return 0;
        size_t size = strtoull(chunk, NULL, 16);
        if (size == 0) {
            /* No trailers expected: the last chunk's line is followed by an empty line. */
            return end - eol >= 4 ? 1 : 0;
        }
        if ((size_t) (end - (eol + 2)) < size + 2) return 0;
        chunk = eol + 2 + size + 2;
    }
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least q of the values at or below it. */
static double percentile_us(const int64_t *sorted, size_t n, double q) {
    if (n == 0) return -1;
    size_t rank = (size_t) (q * (double) n + 0.999999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return (double) sorted[rank - 1] / 1000.0;
}

static void usage(void) {
    fprintf(stderr, "usage: openloop -p PORT -r RATE -d SECONDS [-c CONNECTIONS] [-u PATH] "
                    "[-H 'Name: value']... [-t DRAIN_SECONDS]\n");
    exit(2);
}

int main(int argc, char **argv) {
    double rate = 0, duration = 0, drain_seconds = 5;
    int connection_count = 16;
    const char *path = "/";
    const char *headers[MAX_HEADERS];
    int header_count = 0;
    int option;
    while ((option = getopt(argc, argv, "p:r:d:c:u:H:t:")) != -1) {
        switch (option) {
            case 'p': port = atoi(optarg); break;
            case 'r': rate = atof(optarg); break;
            case 'd': duration = atof(optarg); break;
            case 'c': connection_count = atoi(optarg); break;
            case 'u': path = optarg; break;
            case 'H': if (header_count == MAX_HEADERS) usage(); headers[header_count++] = optarg; break;
            case 't': drain_seconds = atof(optarg); break;
            default: usage();
        }
    }
    if (port <= 0 || port > 65535 || rate <= 0 || duration <= 0 || connection_count < 1
            || connection_count > MAX_CONNECTIONS || drain_seconds < 0) usage();

    int used = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", path, port);
    for (int i = 0; i < header_count; i++)
        used += snprintf(request + used, sizeof request - (size_t) used, "%s\r\n", headers[i]);
    used += snprintf(request + used, sizeof request - (size_t) used, "\r\n");
    if (used >= (int) sizeof request) usage();
    request_length = (size_t) used;

    /* Else the kernel may fire a wait's timeout up to 50 us late to batch wake-ups. */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

    int64_t total = (int64_t) (rate * duration);
    if (total < 1) usage();
    int64_t *latency = malloc((size_t) total * sizeof *latency);
    int64_t *lag = malloc((size_t) total * sizeof *lag);
    if (latency == NULL || lag == NULL) fail("malloc");

    int epoll = epoll_create1(0);
    if (epoll < 0) fail("epoll_create1");
    for (int i = 0; i < connection_count; i++) {
        if (open_connection(epoll, i) != 0) fail("connect to 127.0.0.1");
        idle[idle_count++] = i;
    }

    struct rusage usage_before;
    getrusage(RUSAGE_SELF, &usage_before);
    double interval_ns = 1e9 / rate;
    int64_t start = now_ns() + 1000000;
    int64_t last_due = start + (int64_t) ((double) (total - 1) * interval_ns);
    int64_t deadline = last_due + (int64_t) (drain_seconds * 1e9);
    int64_t due = 0;           /* requests that have fallen due */
    int64_t sent = 0;          /* requests sent; those in [sent, due) wait for a connection */
    int64_t completed = 0, failed = 0, non_2xx = 0;
    int in_flight = 0;
    struct epoll_event events[MAX_CONNECTIONS];

    for (;;) {
        int64_t now = now_ns();
        while (due < total && start + (int64_t) ((double) due * interval_ns) <= now) due++;
        while (sent < due && idle_count > 0) {
            struct connection *c = &connections[idle[--idle_count]];
            c->due_ns = start + (int64_t) ((double) sent * interval_ns);
            c->busy = 1;
            c->length = 0;
            lag[sent] = now - c->due_ns;
            sent++;
            if (send_request(c) == 0) {
                in_flight++;
            } else {
                failed++;
                c->busy = 0;
                reopen(epoll, (int) (c - connections), 1);
            }
            now = now_ns();
        }
        if (sent == total && in_flight == 0) break;
        if (now >= deadline) break;

        int64_t wake = due < total ? start + (int64_t) ((double) due * interval_ns) : deadline;
        int64_t wait_ns = wake > now ? wake - now : 0;
        struct timespec timeout = { .tv_sec = wait_ns / 1000000000, .tv_nsec = wait_ns % 1000000000 };
        int ready = epoll_pwait2(epoll, events, MAX_CONNECTIONS, &timeout, NULL);
        if (ready < 0) {
            if (errno == EINTR) continue;
            fail("epoll_pwait2");
        }
        for (int e = 0; e < ready; e++) {
            int index = (int) events[e].data.u32;
            struct connection *c = &connections[index];
            ssize_t n = read(c->fd, c->buffer + c->length, BUFFER_SIZE - c->length);
            int status = 0, whole = 0, closing = 0;
            if (n > 0) {
                c->length += (size_t) n;
                whole = complete_response(c, &status, &closing);
                if (whole == 0 && c->length == BUFFER_SIZE) whole = -1;
            } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                continue;
            } else {
                whole = -1;   /* closed by the server, or a read error */
            }
            if (whole == 0) continue;
            int was_busy = c->busy;
            if (whole == 1 && was_busy) {
                latency[completed++] = now_ns() - c->due_ns;
                if (status < 200 || status > 299) non_2xx++;
                c->busy = 0;
                c->length = 0;
                in_flight--;
                if (!closing) {
                    idle[idle_count++] = index;
                    continue;
                }
            } else if (was_busy) {
                failed++;
                in_flight--;
                c->busy = 0;
            }
            reopen(epoll, index, was_busy);
        }
    }

    struct rusage usage_after;
    getrusage(RUSAGE_SELF, &usage_after);
    double cpu_us = (double) (usage_after.ru_utime.tv_sec - usage_before.ru_utime.tv_sec) * 1e6
                    + (double) (usage_after.ru_utime.tv_usec - usage_before.ru_utime.tv_usec)
                    + (double) (usage_after.ru_stime.tv_sec - usage_before.ru_stime.tv_sec) * 1e6
                    + (double) (usage_after.ru_stime.tv_usec - usage_before.ru_stime.tv_usec);
    int64_t unanswered = sent - completed - failed;
    int64_t not_sent = total - sent;
    double sum = 0;
    for (int64_t i = 0; i < completed; i++) sum += (double) latency[i];
    qsort(latency, (size_t) completed, sizeof *latency, compare);
    qsort(lag, (size_t) sent, sizeof *lag, compare);
    printf("target_rate=%.1f requests=%lld completed=%lld failed=%lld non_2xx=%lld unanswered=%lld not_sent=%lld "
           "p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f mean_us=%.1f "
           "send_lag_p99_us=%.1f send_lag_max_us=%.1f generator_cpu_us_per_req=%.2f\n",
           rate, (long long) total, (long long) completed, (long long) failed, (long long) non_2xx,
           (long long) unanswered, (long long) not_sent,
           percentile_us(latency, (size_t) completed, 0.50), percentile_us(latency, (size_t) completed, 0.90),
           percentile_us(latency, (size_t) completed, 0.99), percentile_us(latency, (size_t) completed, 0.999),
           completed ? (double) latency[completed - 1] / 1000.0 : -1,
           completed ? sum / (double) completed / 1000.0 : -1,
           percentile_us(lag, (size_t) sent, 0.99), sent ? (double) lag[sent - 1] / 1000.0 : -1,
           completed ? cpu_us / (double) completed : -1);
    return (failed || unanswered || not_sent) ? 1 : 0;
}
