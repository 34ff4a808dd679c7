/* SPDX-License-Identifier: MIT */
/* placeholder: being written */
#include "minhash.h"
