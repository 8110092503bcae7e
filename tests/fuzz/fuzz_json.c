// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the manifest and process-table parsers on arbitrary
 * JSON (the reader feeds them whatever a bundle holds).
 */
#include <stdint.h>

#include <jansson.h>

#include "formats/bundle.h"
#include "formats/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	struct fr_manifest m;
	struct fr_process p;
	char err[512];

	if (!j)
		return 0;
	if (fr_manifest__from_json(&m, j, err, sizeof(err)) == 0)
		fr_manifest__clear(&m);
	if (fr_process__from_json(&p, j, err, sizeof(err)) == 0)
		fr_process__clear(&p);
	if (json_is_array(json_object_get(j, "processes"))) {
		size_t i;

		for (i = 0; i < json_array_size(json_object_get(j, "processes")); i++)
			if (fr_process__from_json(&p, json_array_get(json_object_get(j, "processes"), i),
						  err, sizeof(err)) == 0)
				fr_process__clear(&p);
	}
	json_decref(j);
	return 0;
}
