/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/* Version of the neardup API.  Read back by meson for the soname. */
#ifndef ND_VERSION_H
#define ND_VERSION_H

#define ND_API_VERSION_MAJOR 0
#define ND_API_VERSION_MINOR 1
#define ND_API_VERSION_PATCH 0

#endif
