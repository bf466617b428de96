// Typed lint rules: typescript-eslint's type-checked set, plus Pulumi's rules that catch an Output
// interpolated into a template string (which yields "Calling [toString] on an [Output<T>]...").
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "**/node_modules/", "rendered/", "dist/", ".bench/", "test/**/__snapshots__/"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { pulumi },
        rules: {
            "pulumi/no-output-in-template-literal": "error",
            "pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/consistent-type-imports": "error",
            "@typescript-eslint/no-floating-promises": "error",
        },
    },
    {
        // Tests poke at loosely typed objects (manifests as plain JSON, mock inputs); the type
        // checker still runs on them, only the `any` bookkeeping is relaxed.
        files: ["test/**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-return": "off",
        },
    },
    {
        // Plain CommonJS that must run on any Node, before dependencies are installed: no types to check.
        files: ["scripts/**/*.cjs"],
        ...tseslint.configs.disableTypeChecked,
        languageOptions: {
            ...tseslint.configs.disableTypeChecked.languageOptions,
            sourceType: "commonjs",
            globals: { require: "readonly", __dirname: "readonly", process: "readonly", console: "readonly" },
        },
        rules: {
            ...tseslint.configs.disableTypeChecked.rules,
            "@typescript-eslint/no-require-imports": "off",
            "pulumi/no-output-in-template-literal": "off",
            "pulumi/no-output-instance-in-template-literal": "off",
        },
    },
    {
        files: ["eslint.config.js"],
        ...tseslint.configs.disableTypeChecked,
        rules: {
            ...tseslint.configs.disableTypeChecked.rules,
            "pulumi/no-output-in-template-literal": "off",
            "pulumi/no-output-instance-in-template-literal": "off",
        },
    },
);
