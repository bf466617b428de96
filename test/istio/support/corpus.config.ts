// The unit tests once more, with corpus-recorder.ts watching: what they judge and plan becomes the
// corpus the Istio suite validates (test/istio/support/global-setup.ts starts this run).
import { defineConfig } from "vitest/config";
import unit from "../../../vitest.config.ts";

export default defineConfig({
    test: {
        ...unit.test,
        setupFiles: ["test/istio/support/corpus-recorder.ts"],
        // verify's tests neither judge nor plan a release (they check the split's statistics): left out to save minutes.
        exclude: [...(unit.test?.exclude ?? []), "test/verify/**"],
        // The unit run proper reports the results; this one only records.
        reporters: ["dot"],
    },
});
