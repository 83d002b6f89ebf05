/* Load generator for Engram's wire protocol (used by server_bench.py).
 *
 * Single-threaded, epoll, like redis-benchmark: C connections, each sending a
 * pipeline of P identical request frames, waiting for all P answers, and repeating
 * until N requests have been answered. Latency of a request = time from the write of
 * its pipeline batch to the arrival of its answer (redis-benchmark's definition).
 *
 * usage: server_load HOST PORT CONNECTIONS PIPELINE REQUESTS ping|call [PAYLOAD_HEX | @FILE]
 * A call payload is one MessagePack `call` body in hex, or @FILE: a binary file of such
 * bodies, each preceded by its length (u32, big endian). With several bodies, connection c sends body (c + CONNECTIONS * k) mod BODIES
 * as its k-th request, so that concurrent clients write different documents.
 * prints: requests=… errors=… seconds=… rps=… p50_ms=… p99_ms=…
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_US 2000000
static uint32_t hist[MAX_US + 1];

typedef struct {
    int fd;
    unsigned char *rbuf;
    size_t rlen, rcap;
    int waiting;     /* answers still due for the current batch */
    double sent_at;  /* when the current batch was written */
} conn_t;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *m) { perror(m); exit(2); }

/* Request bodies: one, or those of a payload file. */
static unsigned char **payloads;
static size_t *payload_lens, npayloads;

static void push_payload(unsigned char *body, size_t n) {
    payloads = realloc(payloads, (npayloads + 1) * sizeof *payloads);
    payload_lens = realloc(payload_lens, (npayloads + 1) * sizeof *payload_lens);
    payloads[npayloads] = body; payload_lens[npayloads++] = n;
}

static void add_payload(const char *hex) {
    size_t n = strlen(hex) / 2;
    unsigned char *b = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) { unsigned v; sscanf(hex + 2 * i, "%2x", &v); b[i] = (unsigned char)v; }
    push_payload(b, n);
}

static void load_payload_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) die("payload file");
    unsigned char h[4];
    while (fread(h, 1, 4, f) == 4) {
        size_t n = ((size_t)h[0] << 24) | ((size_t)h[1] << 16) | ((size_t)h[2] << 8) | h[3];
        unsigned char *b = malloc(n ? n : 1);
        if (fread(b, 1, n, f) != n) { fprintf(stderr, "truncated payload file\n"); exit(2); }
        push_payload(b, n);
    }
    fclose(f);
    if (!npayloads) { fprintf(stderr, "empty payload file\n"); exit(2); }
}


static void put_header(unsigned char *p, uint32_t len, uint8_t type, uint32_t id) {
    p[0] = len >> 24; p[1] = len >> 16; p[2] = len >> 8; p[3] = len;
    p[4] = type; p[5] = 0;
    p[6] = id >> 24; p[7] = id >> 16; p[8] = id >> 8; p[9] = id;
}

static void write_all(int fd, const unsigned char *b, size_t n) {
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0) { if (errno == EAGAIN || errno == EINTR) continue; die("write"); }
        b += w; n -= (size_t)w;
    }
}

static void read_all(int fd, unsigned char *b, size_t n) {
    while (n) {
        ssize_t r = read(fd, b, n);
        if (r <= 0) die("read during handshake");
        b += r; n -= (size_t)r;
    }
}

/* Payloads are sent in file order across all connections, so with `requests` equal to
   the number of payloads each is sent exactly once (a store load stores every record). */
static size_t next_payload;

/* Writes the next pipeline of requests of connection `c`. */
static void send_batch(conn_t *c, int pipe_n, uint8_t type, unsigned char **buf, size_t *cap) {
    size_t len = 0;
    for (int i = 0; i < pipe_n; i++) {
        size_t k = next_payload++ % npayloads, plen = payload_lens[k];
        if (len + 10 + plen > *cap) { while (len + 10 + plen > *cap) *cap *= 2; *buf = realloc(*buf, *cap); }
        put_header(*buf + len, (uint32_t)plen, type, (uint32_t)(i + 1));
        memcpy(*buf + len + 10, payloads[k], plen);
        len += 10 + plen;
    }
    c->sent_at = now_s(); write_all(c->fd, *buf, len);
    c->waiting = pipe_n;
}

int main(int argc, char **argv) {
    if (argc < 7) { fprintf(stderr, "usage: %s host port conns pipeline requests ping|call [hex]\n", argv[0]); return 2; }
    const char *host = argv[1];
    int port = atoi(argv[2]), nconn = atoi(argv[3]), pipe_n = atoi(argv[4]);
    long total = atol(argv[5]);
    int is_call = strcmp(argv[6], "call") == 0;
    const char *spec = is_call && argc > 7 ? argv[7] : "";
    if (spec[0] == '@') load_payload_file(spec + 1); else add_payload(spec);
    uint8_t type = is_call ? 0x03 : 0x02;

    conn_t *cs = calloc((size_t)nconn, sizeof *cs);
    int ep = epoll_create1(0);
    for (int i = 0; i < nconn; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET; a.sin_port = htons((uint16_t)port); inet_pton(AF_INET, host, &a.sin_addr);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
        int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        unsigned char hs[8] = {'E', 'N', 'G', 'R', 0, 1, 0, 1}, ans[8];
        write_all(fd, hs, 8);
        read_all(fd, ans, 8);
        if (memcmp(ans, "ENGR", 4) || (ans[4] == 0 && ans[5] == 0)) { fprintf(stderr, "bad preamble\n"); return 2; }
        unsigned char hello[11]; put_header(hello, 1, 0x01, 1); hello[10] = 0x80;  /* {} */
        write_all(fd, hello, 11);
        unsigned char hdr[10]; read_all(fd, hdr, 10);
        uint32_t len = ((uint32_t)hdr[0] << 24) | (hdr[1] << 16) | (hdr[2] << 8) | hdr[3];
        unsigned char skip[4096]; if (len > sizeof skip) return 2; read_all(fd, skip, len);
        if (hdr[4] != 0x80) { fprintf(stderr, "hello refused\n"); return 2; }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        cs[i].fd = fd; cs[i].rcap = 1 << 16; cs[i].rbuf = malloc(cs[i].rcap);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }

    long issued = 0, answered = 0, errors = 0;
    size_t bcap = 1 << 16; unsigned char *batch = malloc(bcap);
    double start = now_s();
    for (int i = 0; i < nconn && issued < total; i++) {
        send_batch(&cs[i], pipe_n, type, &batch, &bcap);
        issued += pipe_n;
    }
    struct epoll_event evs[256];
    while (answered < issued) {
        int n = epoll_wait(ep, evs, 256, 10000);
        if (n <= 0) { fprintf(stderr, "stalled\n"); return 2; }
        for (int e = 0; e < n; e++) {
            conn_t *c = &cs[evs[e].data.u32];
            for (;;) {
                if (c->rcap - c->rlen < 4096) { c->rcap *= 2; c->rbuf = realloc(c->rbuf, c->rcap); }
                ssize_t r = read(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen);
                if (r < 0 && (errno == EAGAIN || errno == EINTR)) break;
                if (r <= 0) die("server closed");
                c->rlen += (size_t)r;
            }
            size_t off = 0;
            double t = now_s();
            while (c->rlen - off >= 10) {
                unsigned char *h = c->rbuf + off;
                uint32_t len = ((uint32_t)h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3];
                if (c->rlen - off < 10 + len) break;
                if (h[4] == 0x82) errors++;
                long us = (long)((t - c->sent_at) * 1e6);
                hist[us > MAX_US ? MAX_US : us]++;
                answered++; c->waiting--; off += 10 + len;
            }
            memmove(c->rbuf, c->rbuf + off, c->rlen - off); c->rlen -= off;
            if (c->waiting == 0 && issued < total) {
                send_batch(c, pipe_n, type, &batch, &bcap);
                issued += pipe_n;
            }
        }
    }
    double secs = now_s() - start;
    long acc = 0, p50 = -1, p99 = -1;
    for (long us = 0; us <= MAX_US; us++) {
        acc += hist[us];
        if (p50 < 0 && acc * 2 >= answered) p50 = us;
        if (p99 < 0 && acc * 100 >= answered * 99) { p99 = us; break; }
    }
    printf("requests=%ld errors=%ld seconds=%.3f rps=%.0f p50_ms=%.3f p99_ms=%.3f\n", answered, errors, secs,
           answered / secs, p50 / 1000.0, p99 / 1000.0);
    return errors ? 1 : 0;
}
