//! The bad inputs, one per way a maintainer's input can be wrong, each with
//! the place and the fix its message must name.

/// The scratch workspace's `spec/sdk.yml`: names the one operation of [`BASE`].
pub const CONFIG: &str = "\
resources:
  things:
    methods:
      retrieve: get /things/{thing_id}
";

/// A valid spec; most cases are a small edit of it.
pub const BASE: &str = "\
openapi: 3.1.0
info: {title: Bad input base, version: 1.0.0}
paths:
  /things/{thing_id}:
    get:
      operationId: GetThing
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
";

pub struct Case {
    pub name: &'static str,
    /// Written under the scratch workspace before the run.
    pub files: Vec<(&'static str, &'static [u8])>,
    /// `@path` stands for that path inside the scratch workspace.
    pub args: &'static [&'static str],
    /// Must appear in the message: where the problem is...
    pub place: &'static str,
    /// ...and what to do about it.
    pub fix: &'static str,
    /// The real binary works on the real workspace, where the pinned spec
    /// exists: a case about the scratch workspace's own files runs
    /// in-process only.
    pub binary: bool,
}

pub fn all() -> Vec<Case> {
    vec![
        Case {
            name: "missing spec file",
            files: vec![],
            args: &["regen", "--spec", "@inputs/missing.yaml"],
            place: "inputs/missing.yaml",
            fix: "check the path",
            binary: true,
        },
        Case {
            name: "missing pinned spec",
            files: vec![],
            args: &["regen"],
            place: "spec/spec3.yml",
            fix: "cargo xtask fetch-spec",
            binary: false,
        },
        Case {
            name: "missing --from file",
            files: vec![],
            args: &["fetch-spec", "--from", "@inputs/missing.yml"],
            place: "inputs/missing.yml: cannot read",
            fix: "`--from` takes a local copy of the pinned release",
            binary: true,
        },
        Case {
            name: "sha256 mismatch",
            files: vec![("inputs/other.yaml", BASE.as_bytes())],
            args: &["fetch-spec", "--from", "@inputs/other.yaml"],
            place: "inputs/other.yaml: sha256 mismatch",
            fix: "update commit, url and sha256",
            binary: true,
        },
        Case {
            name: "malformed YAML",
            files: vec![(
                "inputs/malformed.yaml",
                b"openapi: 3.1.0\ninfo: {title: t, version: '1'\npaths: {}\n",
            )],
            args: &["regen", "--spec", "@inputs/malformed.yaml"],
            place: "inputs/malformed.yaml:3:1: malformed YAML",
            fix: "fix the YAML syntax",
            binary: true,
        },
        Case {
            name: "malformed JSON",
            files: vec![(
                "inputs/malformed.json",
                b"{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"t\",, \"version\": \"1\"}\n}\n",
            )],
            args: &["regen", "--spec", "@inputs/malformed.json"],
            place: "inputs/malformed.json:3:25: malformed JSON",
            fix: "fix the JSON syntax",
            binary: true,
        },
        Case {
            name: "duplicate YAML key",
            files: vec![(
                "inputs/duplicate_key.yaml",
                b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get: {responses: {}}\n    get: {responses: {}}\n",
            )],
            args: &["regen", "--spec", "@inputs/duplicate_key.yaml"],
            place: "inputs/duplicate_key.yaml:5:5: malformed YAML: paths./things: duplicate key `get`",
            fix: "remove or rename one",
            binary: true,
        },
        Case {
            name: "empty file",
            files: vec![("inputs/empty.yaml", b"\n  \n")],
            args: &["regen", "--spec", "@inputs/empty.yaml"],
            place: "inputs/empty.yaml: the file is empty",
            fix: "Point `--spec` at the spec",
            binary: true,
        },
        Case {
            name: "not UTF-8",
            files: vec![("inputs/latin1.yaml", b"openapi: 3.1.0\ninfo: {title: caf\xe9}\n")],
            args: &["regen", "--spec", "@inputs/latin1.yaml"],
            place: "inputs/latin1.yaml: not UTF-8 text (invalid byte at offset 32)",
            fix: "save the spec as UTF-8",
            binary: true,
        },
        Case {
            name: "not a mapping",
            files: vec![("inputs/list.yaml", b"- openapi\n- 3.1.0\n")],
            args: &["regen", "--spec", "@inputs/list.yaml"],
            place: "inputs/list.yaml: the document is not a mapping",
            fix: "starts with `openapi: 3.x.y`",
            binary: true,
        },
        Case {
            name: "unsupported openapi version",
            files: vec![(
                "inputs/version.yaml",
                b"openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            )],
            args: &["regen", "--spec", "@inputs/version.yaml"],
            place: "inputs/version.yaml#/openapi: unsupported OpenAPI version `3.2.0`",
            fix: "Convert the document to OpenAPI 3.1",
            binary: true,
        },
        Case {
            name: "unquoted openapi version",
            files: vec![(
                "inputs/unquoted.yaml",
                b"openapi: 3.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            )],
            args: &["regen", "--spec", "@inputs/unquoted.yaml"],
            place: "inputs/unquoted.yaml#/openapi: `openapi` must be a version string",
            fix: "quote the version",
            binary: true,
        },
        Case {
            name: "Swagger 2.0",
            files: vec![(
                "inputs/swagger.yaml",
                b"swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            )],
            args: &["regen", "--spec", "@inputs/swagger.yaml"],
            place: "inputs/swagger.yaml#/swagger: Swagger 2.0 is not supported",
            fix: "convert the document to OpenAPI 3.0 or 3.1",
            binary: true,
        },
        Case {
            name: "not an OpenAPI object",
            files: vec![(
                "inputs/shape.yaml",
                b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n      parameters: {name: x}\n      responses: {}\n",
            )],
            args: &["regen", "--spec", "@inputs/shape.yaml"],
            place: "inputs/shape.yaml#/paths/~1things/get/parameters: not a valid OpenAPI object",
            fix: "give it the shape the OpenAPI specification defines",
            binary: true,
        },
        Case {
            name: "dangling $ref",
            files: vec![("inputs/dangling.yaml", DANGLING.as_bytes())],
            args: &["regen", "--spec", "@inputs/dangling.yaml"],
            place: "inputs/dangling.yaml#/components/schemas/Thing/properties/owner: \
                    dangling `$ref: #/components/schemas/Owner`",
            fix: "add it there or point the `$ref` at an existing component",
            binary: true,
        },
        Case {
            name: "$ref cycle of aliases",
            files: vec![("inputs/alias_cycle.yaml", ALIAS_CYCLE.as_bytes())],
            args: &["regen", "--spec", "@inputs/alias_cycle.yaml"],
            place: "inputs/alias_cycle.yaml#/components/schemas/Owner: this schema is only a \
                    `$ref` chain back to itself",
            fix: "give one schema of the chain a type of its own",
            binary: true,
        },
        Case {
            name: "$ref cycle through union variants",
            files: vec![("inputs/union_cycle.yaml", UNION_CYCLE.as_bytes())],
            args: &["regen", "--spec", "@inputs/union_cycle.yaml"],
            place: "inputs/union_cycle.yaml#/components/schemas/Shape: this schema contains \
                    itself through `oneOf`/`anyOf` variants",
            fix: "remove the variant that leads back here",
            binary: true,
        },
        Case {
            name: "$ref cycle through allOf",
            files: vec![("inputs/all_of_cycle.yaml", ALL_OF_CYCLE.as_bytes())],
            args: &["regen", "--spec", "@inputs/all_of_cycle.yaml"],
            place: "inputs/all_of_cycle.yaml#/components/schemas/Thing/allOf/0: `allOf` includes \
                    `#/components/schemas/Thing` inside itself",
            fix: "remove that `allOf` entry",
            binary: true,
        },
        Case {
            name: "config gives an operation an id another has",
            files: vec![
                ("inputs/two_ids.yaml", TWO_IDS.as_bytes()),
                ("inputs/same_id.sdk.yml", SAME_ID_CONFIG.as_bytes()),
            ],
            args: &[
                "regen",
                "--spec",
                "@inputs/two_ids.yaml",
                "--config",
                "@inputs/same_id.sdk.yml",
            ],
            place: "inputs/two_ids.yaml#/paths/~1things/get/operationId: the SDK config's \
                    `operation_ids` gives `get /things` the id `GetThing`, which \
                    `get /things/{thing_id}` also has",
            fix: "choose an id no other operation has",
            binary: true,
        },
        Case {
            name: "several problems, all reported at once",
            files: vec![("inputs/several.yaml", SEVERAL.as_bytes())],
            args: &["regen", "--spec", "@inputs/several.yaml"],
            place: "inputs/several.yaml: 3 problems, sorted by JSON pointer:",
            // The middle one of the three, sorted: the others are dangling `$ref`s.
            fix: "inputs/several.yaml#/paths/~1things~1{thing_id}/get/parameters: path \
                  `/things/{thing_id}` uses `{thing_id}` but declares no path parameter \
                  `thing_id`; add",
            binary: true,
        },
        Case {
            name: "path placeholder without a parameter",
            files: vec![("inputs/undeclared.yaml", UNDECLARED_PARAM.as_bytes())],
            args: &["regen", "--spec", "@inputs/undeclared.yaml"],
            place: "inputs/undeclared.yaml#/paths/~1things~1{thing_id}/get/parameters: path \
                    `/things/{thing_id}` uses `{thing_id}` but declares no path parameter",
            fix: "add `{name: thing_id, in: path, required: true",
            binary: true,
        },
        Case {
            name: "path parameter without a placeholder",
            files: vec![("inputs/unused.yaml", UNUSED_PARAM.as_bytes())],
            args: &["regen", "--spec", "@inputs/unused.yaml"],
            place: "inputs/unused.yaml#/paths/~1things/get/parameters: path parameter \
                    `thing_id` is declared but `/things` has no `{thing_id}`",
            fix: "add `{thing_id}` to the path, or remove the parameter",
            binary: true,
        },
        Case {
            name: "config names two methods alike",
            files: vec![
                ("inputs/base.yaml", BASE.as_bytes()),
                ("inputs/same_name.sdk.yml", SAME_NAME_CONFIG.as_bytes()),
            ],
            args: &[
                "regen",
                "--spec",
                "@inputs/base.yaml",
                "--config",
                "@inputs/same_name.sdk.yml",
            ],
            place: "inputs/same_name.sdk.yml:4:7: resources.things.methods: duplicate key \
                    `retrieve`",
            fix: "remove or rename one",
            binary: true,
        },
        Case {
            name: "config names a method like a sub-resource",
            files: vec![
                ("inputs/parts.yaml", PARTS.as_bytes()),
                ("inputs/accessor.sdk.yml", ACCESSOR_CONFIG.as_bytes()),
            ],
            args: &[
                "regen",
                "--spec",
                "@inputs/parts.yaml",
                "--config",
                "@inputs/accessor.sdk.yml",
            ],
            place: "inputs/accessor.sdk.yml: resources.things.methods.parts: `parts` names \
                    both a method and a sub-resource of `things`",
            fix: "Rename one of them",
            binary: true,
        },
        Case {
            name: "config names two methods whose request builders are one",
            files: vec![
                ("inputs/parts.yaml", PARTS.as_bytes()),
                ("inputs/builder.sdk.yml", BUILDER_CONFIG.as_bytes()),
            ],
            args: &[
                "regen",
                "--spec",
                "@inputs/parts.yaml",
                "--config",
                "@inputs/builder.sdk.yml",
            ],
            place: "inputs/builder.sdk.yml: resources.things.v2: `v2` and another method of \
                    `things` get one request builder, `V2`",
            fix: "rename one of them",
            binary: true,
        },
        Case {
            name: "config name that is no Rust identifier",
            files: vec![
                ("inputs/base.yaml", BASE.as_bytes()),
                ("inputs/ident.sdk.yml", IDENT_CONFIG.as_bytes()),
            ],
            args: &[
                "regen",
                "--spec",
                "@inputs/base.yaml",
                "--config",
                "@inputs/ident.sdk.yml",
            ],
            place: "inputs/ident.sdk.yml: resources.things.methods.get-thing: `get-thing` is \
                    not a snake_case Rust identifier",
            fix: "use lower-case letters, digits and `_`",
            binary: true,
        },
        Case {
            name: "config entry matching no operation, --strict",
            files: vec![
                ("inputs/base.yaml", BASE.as_bytes()),
                ("inputs/stale.sdk.yml", STALE_CONFIG.as_bytes()),
            ],
            args: &[
                "regen",
                "--strict",
                "--spec",
                "@inputs/base.yaml",
                "--config",
                "@inputs/stale.sdk.yml",
            ],
            place: "inputs/stale.sdk.yml: resources.things.delete = `delete /things/{thing_id}`",
            fix: "or remove it (without --strict these are warnings)",
            binary: true,
        },
    ]
}

const DANGLING: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
";

const ALIAS_CYCLE: &str = "\
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Owner: {$ref: '#/components/schemas/Person'}
    Person: {$ref: '#/components/schemas/Owner'}
";

const UNION_CYCLE: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Shape'
        - {type: object, properties: {side: {type: number}}}
";

const ALL_OF_CYCLE: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      allOf:
        - $ref: '#/components/schemas/Thing'
        - {type: object, properties: {id: {type: string}}}
";

const TWO_IDS: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things/{thing_id}:
    get:
      operationId: GetThing
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: done}}
  /things:
    get:
      operationId: ListThings
      responses: {'204': {description: done}}
";

const SAME_ID_CONFIG: &str = "\
operation_ids:
  get /things: GetThing
";

const SEVERAL: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things/{thing_id}:
    get:
      operationId: GetThing
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Nothing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
";

const UNDECLARED_PARAM: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things/{thing_id}:
    get:
      operationId: GetThing
      responses: {'204': {description: done}}
";

const UNUSED_PARAM: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: ListThings
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: done}}
";

const PARTS: &str = "\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things/{thing_id}/parts:
    get:
      operationId: ListParts
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: done}}
    post:
      operationId: CreatePart
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: done}}
";

const SAME_NAME_CONFIG: &str = "\
resources:
  things:
    methods:
      retrieve: get /things/{thing_id}
      retrieve: get /things
";

const ACCESSOR_CONFIG: &str = "\
resources:
  things:
    methods:
      parts: get /things/{thing_id}/parts
    subresources:
      parts:
        methods:
          create: post /things/{thing_id}/parts
";

const BUILDER_CONFIG: &str = "\
resources:
  things:
    methods:
      v_2: get /things/{thing_id}/parts
      v2: post /things/{thing_id}/parts
";

const IDENT_CONFIG: &str = "\
resources:
  things:
    methods:
      get-thing: get /things/{thing_id}
";

const STALE_CONFIG: &str = "\
resources:
  things:
    methods:
      retrieve: get /things/{thing_id}
      delete: delete /things/{thing_id}
";
