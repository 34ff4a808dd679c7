/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * A progress bar on standard error for long runs: files or documents done,
 * MB/s while reading, ETA.  Drawn only when enabled (standard error is a
 * terminal and --quiet is off), only after the run has taken half a second,
 * at most ten times a second; cleared before any other message.
 */
#ifndef ND_CLI_PROGRESS_H
#define ND_CLI_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

void progress_enable(int on);
/* nd_progress_fn. */
void progress_update(void *user, int stage, uint64_t done, uint64_t total,
                     uint64_t bytes);
/* Reading operand @p i of @p n (before each nd_corpus_add_path). */
void progress_operand(size_t i, size_t n);
/* Erase the bar (before a message, and at the end). */
void progress_clear(void);

#endif
