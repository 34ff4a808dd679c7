#include <nd/nd.h>
int main(void) { return 0; }
