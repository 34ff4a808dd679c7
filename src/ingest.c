/* SPDX-License-Identifier: MIT */
/* placeholder: being written */
#include "ingest.h"
