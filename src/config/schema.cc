#include "config/schema.h"
