/* Quench's instruction counter: a QEMU TCG plugin (plugin API version 1, QEMU 7.2). Counts every
 * executed guest instruction, and per address range [lo, hi) read from the file given as
 * ranges=FILE (one "lo hi" pair of hex numbers per line, e.g. one per generated step function).
 * At exit it writes "icount total N" and "icount range K N" lines through qemu_plugin_outs
 * (-d plugin -D LOG). Counting is done with inline adds, so counts are deterministic. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*udata_cb)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, udata_cb cb, void *userdata);
void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define MAX_RANGES 4096
static uint64_t g_total;
static uint64_t g_lo[MAX_RANGES], g_hi[MAX_RANGES], g_count[MAX_RANGES];
static int g_ranges;

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t pc = qemu_plugin_insn_vaddr(insn);
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &g_total, 1);
    for (int r = 0; r < g_ranges; r++) {
      if (pc >= g_lo[r] && pc < g_hi[r]) qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &g_count[r], 1);
    }
  }
}

static void at_end(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  char line[96];
  snprintf(line, sizeof line, "icount total %llu\n", (unsigned long long)g_total);
  qemu_plugin_outs(line);
  for (int r = 0; r < g_ranges; r++) {
    snprintf(line, sizeof line, "icount range %d %llu\n", r, (unsigned long long)g_count[r]);
    qemu_plugin_outs(line);
  }
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  (void)info;
  for (int i = 0; i < argc; i++) {
    if (strncmp(argv[i], "ranges=", 7) != 0) continue;
    FILE *f = fopen(argv[i] + 7, "r");
    if (!f) return -1;
    unsigned long long lo, hi;
    while (g_ranges < MAX_RANGES && fscanf(f, "%llx %llx", &lo, &hi) == 2) {
      g_lo[g_ranges] = lo;
      g_hi[g_ranges] = hi;
      g_ranges++;
    }
    fclose(f);
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, at_end, NULL);
  return 0;
}
