/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/* Passage alignment (being written). */
#ifndef ND_ALIGN_H
#define ND_ALIGN_H
#include "internal.h"
#endif
