/* placeholder */
#include <nd/nd.h>
