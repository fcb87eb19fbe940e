//! Unit tests of the interpreter: every library function through the evaluator, templates,
//! parameters, rule semantics, and malformed rule sets.

use super::*;

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

/// Evaluates one expression (JSON) with the given named values in scope.
fn eval_with(expr: &str, vars: &[(&str, Option<Value>)]) -> Result<Option<Value>, EndpointError> {
    let doc = parse_document(expr.as_bytes()).unwrap();
    let names: Vec<&str> = vars.iter().map(|(n, _)| *n).collect();
    let expr = parse::parse_expression(&doc, &names)?;
    let mut eval = Eval {
        slots: vars.iter().map(|(_, v)| v.clone()).collect(),
    };
    eval.expr(&expr)
}

fn eval(expr: &str) -> Option<Value> {
    eval_with(expr, &[]).unwrap()
}

fn call(func: &str, args: &str) -> Option<Value> {
    eval(&format!(r#"{{"fn": "{func}", "argv": [{args}]}}"#))
}

fn rule_set(json: &str) -> RuleSet {
    RuleSet::from_json(json).unwrap_or_else(|e| panic!("{e}"))
}

fn invalid(json: &str) -> String {
    let err = RuleSet::from_json(json).expect_err("should be rejected");
    assert_eq!(err.kind(), EndpointErrorKind::InvalidRuleSet, "{err}");
    err.to_string()
}

/// A rule set with string parameters `A` and `B` and boolean `F`, whose single endpoint rule
/// has the given conditions and URL.
fn one_rule(conditions: &str, url: &str) -> RuleSet {
    rule_set(&format!(
        r#"{{"version": "1.0",
            "parameters": {{"A": {{"type": "string"}}, "B": {{"type": "string"}},
                           "F": {{"type": "boolean"}}}},
            "rules": [{{"conditions": [{conditions}], "type": "endpoint",
                        "endpoint": {{"url": {url}}}}},
                      {{"conditions": [], "type": "error", "error": "no match"}}]}}"#
    ))
}

fn url_of(rules: &RuleSet, params: &Params) -> String {
    match rules.resolve(params) {
        Ok(endpoint) => endpoint.url,
        Err(e) => format!("error: {e}"),
    }
}

// ---- library functions ----------------------------------------------------------------------

#[test]
fn is_set_and_not() {
    let vars = [("X", Some(s("x"))), ("U", None)];
    assert_eq!(
        eval_with(r#"{"fn": "isSet", "argv": [{"ref": "X"}]}"#, &vars).unwrap(),
        Some(Value::Bool(true))
    );
    assert_eq!(
        eval_with(r#"{"fn": "isSet", "argv": [{"ref": "U"}]}"#, &vars).unwrap(),
        Some(Value::Bool(false))
    );
    assert_eq!(call("not", "true"), Some(Value::Bool(false)));
    assert_eq!(call("not", "false"), Some(Value::Bool(true)));
    assert_eq!(
        call("not", r#"{"fn": "isSet", "argv": [true]}"#),
        Some(Value::Bool(false))
    );
    // An unset argument makes the result unset.
    assert_eq!(
        eval_with(r#"{"fn": "not", "argv": [{"ref": "U"}]}"#, &vars).unwrap(),
        None
    );
    let err = eval_with(r#"{"fn": "not", "argv": ["x"]}"#, &[]).unwrap_err();
    assert_eq!(err.kind(), EndpointErrorKind::Evaluation);
    assert_eq!(
        err.to_string(),
        "endpoint resolution failed: argument 1 of `not` must be a boolean, found a string"
    );
}

#[test]
fn equality() {
    assert_eq!(call("booleanEquals", "true, true"), Some(Value::Bool(true)));
    assert_eq!(
        call("booleanEquals", "true, false"),
        Some(Value::Bool(false))
    );
    assert_eq!(call("stringEquals", r#""a", "a""#), Some(Value::Bool(true)));
    assert_eq!(
        call("stringEquals", r#""a", "A""#),
        Some(Value::Bool(false))
    );
    assert_eq!(call("stringEquals", r#""", """#), Some(Value::Bool(true)));
    let vars = [("U", None), ("X", Some(s("x")))];
    assert_eq!(
        eval_with(
            r#"{"fn": "stringEquals", "argv": [{"ref": "U"}, "x"]}"#,
            &vars
        )
        .unwrap(),
        None
    );
    assert_eq!(
        eval_with(
            r#"{"fn": "stringEquals", "argv": [{"ref": "X"}, "{X}"]}"#,
            &vars
        )
        .unwrap(),
        Some(Value::Bool(true))
    );
    assert!(eval_with(r#"{"fn": "stringEquals", "argv": ["a", true]}"#, &[]).is_err());
    assert!(eval_with(r#"{"fn": "booleanEquals", "argv": ["true", true]}"#, &[]).is_err());
}

#[test]
fn get_attr_records_and_arrays() {
    let mut inner = BTreeMap::new();
    inner.insert(
        "list".to_owned(),
        Value::Array(vec![s("zero"), s("one"), Value::Array(vec![s("deep")])]),
    );
    let mut record = BTreeMap::new();
    record.insert("name".to_owned(), s("n"));
    record.insert("inner".to_owned(), Value::Record(inner));
    let vars = [
        ("R", Some(Value::Record(record))),
        ("L", Some(Value::Array(vec![s("a"), s("b")]))),
    ];
    let get = |target: &str, path: &str| {
        eval_with(
            &format!(r#"{{"fn": "getAttr", "argv": [{{"ref": "{target}"}}, "{path}"]}}"#),
            &vars,
        )
        .unwrap()
    };
    assert_eq!(get("R", "name"), Some(s("n")));
    assert_eq!(get("R", "inner.list[1]"), Some(s("one")));
    assert_eq!(get("R", "inner.list[2][0]"), Some(s("deep")));
    assert_eq!(get("R", "inner.list[3]"), None);
    assert_eq!(get("R", "missing"), None);
    assert_eq!(get("R", "name[0]"), None);
    assert_eq!(get("R", "name.x"), None);
    assert_eq!(get("L", "[0]"), Some(s("a")));
    assert_eq!(get("L", "[1]"), Some(s("b")));
    assert_eq!(get("L", "[2]"), None);
    assert_eq!(get("L", "x"), None);
    // Nested function call as the target.
    assert_eq!(
        call(
            "getAttr",
            r#"{"fn": "aws.parseArn", "argv": ["arn:aws:s3:::bucket/key"]}, "resourceId[1]""#
        ),
        Some(s("key"))
    );
    // The path must be a literal, well-formed.
    assert!(
        invalid_expr(
            r#"{"fn": "getAttr", "argv": [{"ref": "L"}, {"ref": "L"}]}"#,
            &["L"]
        )
        .contains("literal string")
    );
    assert!(
        invalid_expr(
            r#"{"fn": "getAttr", "argv": [{"ref": "L"}, "a[x]"]}"#,
            &["L"]
        )
        .contains("invalid index")
    );
}

fn invalid_expr(expr: &str, names: &[&str]) -> String {
    let doc = parse_document(expr.as_bytes()).unwrap();
    match parse::parse_expression(&doc, names) {
        Ok(_) => panic!("{expr} accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn substring_through_the_evaluator() {
    assert_eq!(call("substring", r#""abcdef", 0, 2, false"#), Some(s("ab")));
    assert_eq!(call("substring", r#""abcdef", 0, 2, true"#), Some(s("ef")));
    assert_eq!(call("substring", r#""abcdef", 2, 2, false"#), None);
    assert_eq!(call("substring", r#""ab", 0, 3, false"#), None);
    assert_eq!(call("substring", r#""é", 0, 1, false"#), None);
    assert!(eval_with(r#"{"fn": "substring", "argv": ["ab", -1, 1, false]}"#, &[]).is_err());
    assert!(eval_with(r#"{"fn": "substring", "argv": ["ab", 0, "1", false]}"#, &[]).is_err());
    assert!(
        invalid_expr(r#"{"fn": "substring", "argv": ["ab", 0.5, 1, false]}"#, &[])
            .contains("not an integer")
    );
}

#[test]
fn uri_encode_through_the_evaluator() {
    assert_eq!(
        call("uriEncode", r#""a/b c+d=e&f~g""#),
        Some(s("a%2Fb%20c%2Bd%3De%26f~g"))
    );
}

#[test]
fn parse_url_through_the_evaluator() {
    let Some(Value::Record(r)) = call("parseURL", r#""https://example.com:8443/a/b""#) else {
        panic!("not parsed")
    };
    assert_eq!(r.get("scheme"), Some(&s("https")));
    assert_eq!(r.get("authority"), Some(&s("example.com:8443")));
    assert_eq!(r.get("path"), Some(&s("/a/b")));
    assert_eq!(r.get("normalizedPath"), Some(&s("/a/b/")));
    assert_eq!(r.get("isIp"), Some(&Value::Bool(false)));
    assert_eq!(call("parseURL", r#""https://example.com?q""#), None);
    assert_eq!(
        call(
            "getAttr",
            r#"{"fn": "parseURL", "argv": ["http://[::1]:80"]}, "isIp""#
        ),
        Some(Value::Bool(true))
    );
}

#[test]
fn host_labels_through_the_evaluator() {
    assert_eq!(
        call("isValidHostLabel", r#""abc", false"#),
        Some(Value::Bool(true))
    );
    assert_eq!(
        call("isValidHostLabel", r#""a.b", false"#),
        Some(Value::Bool(false))
    );
    assert_eq!(
        call("isValidHostLabel", r#""a.b", true"#),
        Some(Value::Bool(true))
    );
    assert_eq!(
        call("aws.isVirtualHostableS3Bucket", r#""my.bucket", true"#),
        Some(Value::Bool(true))
    );
    assert_eq!(
        call("aws.isVirtualHostableS3Bucket", r#""My.bucket", true"#),
        Some(Value::Bool(false))
    );
}

#[test]
fn partition_through_the_evaluator() {
    let get = |region: &str, attr: &str| {
        call(
            "getAttr",
            &format!(r#"{{"fn": "aws.partition", "argv": ["{region}"]}}, "{attr}""#),
        )
    };
    assert_eq!(get("us-west-2", "name"), Some(s("aws")));
    assert_eq!(get("us-west-2", "dnsSuffix"), Some(s("amazonaws.com")));
    assert_eq!(get("us-west-2", "dualStackDnsSuffix"), Some(s("api.aws")));
    assert_eq!(get("us-west-2", "supportsFIPS"), Some(Value::Bool(true)));
    assert_eq!(get("cn-north-1", "dnsSuffix"), Some(s("amazonaws.com.cn")));
    assert_eq!(
        get("us-gov-west-1", "implicitGlobalRegion"),
        Some(s("us-gov-west-1"))
    );
    assert_eq!(get("us-isob-east-1", "dnsSuffix"), Some(s("sc2s.sgov.gov")));
    assert_eq!(get("nowhere", "name"), Some(s("aws")));
    // As in botocore: an unset region gives the default partition, not unset.
    assert_eq!(
        eval_with(
            r#"{"fn": "getAttr", "argv": [{"fn": "aws.partition", "argv": [{"ref": "U"}]}, "name"]}"#,
            &[("U", None)]
        )
        .unwrap(),
        Some(s("aws"))
    );
    assert!(eval_with(r#"{"fn": "aws.partition", "argv": [true]}"#, &[]).is_err());
}

#[test]
fn parse_arn_through_the_evaluator() {
    assert_eq!(
        call(
            "getAttr",
            r#"{"fn": "aws.parseArn", "argv": ["arn:aws-cn:s3:cn-north-1:123:accesspoint:ap"]}, "partition""#
        ),
        Some(s("aws-cn"))
    );
    assert_eq!(call("aws.parseArn", r#""not-an-arn""#), None);
}

#[test]
fn array_literals() {
    assert_eq!(
        eval(r#"["a", "b"]"#),
        Some(Value::Array(vec![s("a"), s("b")]))
    );
    let err = eval_with(r#"[{"ref": "U"}]"#, &[("U", None)]).unwrap_err();
    assert!(err.to_string().contains("unset"), "{err}");
}

// ---- templates ------------------------------------------------------------------------------

#[test]
fn templates() {
    let mut record = BTreeMap::new();
    record.insert("dnsSuffix".to_owned(), s("amazonaws.com"));
    record.insert("list".to_owned(), Value::Array(vec![s("x"), s("y")]));
    record.insert("flag".to_owned(), Value::Bool(true));
    let vars = [
        ("Region", Some(s("us-east-1"))),
        ("P", Some(Value::Record(record))),
        ("U", None),
        ("B", Some(Value::Bool(true))),
    ];
    let t = |text: &str| eval_with(&format!("{text:?}"), &vars);
    assert_eq!(t("plain").unwrap(), Some(s("plain")));
    assert_eq!(t("").unwrap(), Some(s("")));
    assert_eq!(
        t("https://svc.{Region}.{P#dnsSuffix}").unwrap(),
        Some(s("https://svc.us-east-1.amazonaws.com"))
    );
    assert_eq!(t("{P#list[1]}{Region}").unwrap(), Some(s("yus-east-1")));
    assert_eq!(t("{{Region}} }} {{").unwrap(), Some(s("{Region} } {")));
    assert_eq!(t("a}b").unwrap(), Some(s("a}b")));
    assert_eq!(t("{{{Region}}}").unwrap(), Some(s("{us-east-1}")));
    for (text, message) in [
        ("{U}", "template variable `U` must be a string, found unset"),
        (
            "{B}",
            "template variable `B` must be a string, found a boolean",
        ),
        (
            "{P#flag}",
            "template variable `P` must be a string, found a boolean",
        ),
        (
            "{P#missing}",
            "template variable `P` must be a string, found unset",
        ),
        (
            "{P}",
            "template variable `P` must be a string, found a record",
        ),
    ] {
        let err = t(text).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("endpoint resolution failed: {message}")
        );
    }
    let names = ["Region", "P"];
    assert!(invalid_expr(r#""{Nope}""#, &names).contains("`Nope` is neither a parameter"));
    assert!(invalid_expr(r#""{Region""#, &names).contains("unclosed"));
    assert!(invalid_expr(r#""{}""#, &names).contains("invalid template variable"));
    assert!(invalid_expr(r#""{P#}""#, &names).contains("empty getAttr path"));
    assert!(invalid_expr(r#""{P#a[}""#, &names).contains("invalid index"));
}

// ---- parameters -----------------------------------------------------------------------------

const PARAMS: &str = r#"{
    "version": "1.0",
    "parameters": {
        "Region": {"type": "String", "required": true, "builtIn": "AWS::Region",
                   "documentation": "The region."},
        "UseFIPS": {"type": "Boolean", "required": true, "default": false,
                    "builtIn": "AWS::UseFIPS"},
        "Names": {"type": "stringArray", "default": ["n0", "n1"]},
        "Old": {"type": "string", "deprecated": {"message": "gone"}}
    },
    "rules": [
        {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
         "type": "endpoint",
         "endpoint": {"url": "https://fips.{Region}/{Names#[1]}"}},
        {"conditions": [], "type": "endpoint",
         "endpoint": {"url": "https://{Region}/{Names#[0]}"}}
    ]
}"#;

#[test]
fn parameter_declarations() {
    let rules = rule_set(PARAMS);
    let names: Vec<&str> = rules.parameters().iter().map(Parameter::name).collect();
    assert_eq!(names, ["Names", "Old", "Region", "UseFIPS"]);
    let region = &rules.parameters()[2];
    assert_eq!(region.param_type(), ParamType::String);
    assert!(region.is_required());
    assert_eq!(region.built_in(), Some("AWS::Region"));
    assert_eq!(region.documentation(), Some("The region."));
    assert_eq!(region.default_value(), None);
    assert!(!region.is_deprecated());
    assert!(rules.parameters()[1].is_deprecated());
    let fips = &rules.parameters()[3];
    assert_eq!(fips.param_type(), ParamType::Boolean);
    assert_eq!(fips.default_value(), Some(&ParamValue::Bool(false)));
    assert_eq!(
        rules.parameters()[0].default_value(),
        Some(&ParamValue::StringArray(vec!["n0".into(), "n1".into()]))
    );
    assert!(format!("{rules:?}").contains("Region"));
}

#[test]
fn parameter_values_and_defaults() {
    let rules = rule_set(PARAMS);
    let base = Params::new().set("Region", "r1");
    assert_eq!(url_of(&rules, &base), "https://r1/n0");
    assert_eq!(
        url_of(&rules, &base.clone().set_bool("UseFIPS", true)),
        "https://fips.r1/n1"
    );
    assert_eq!(
        url_of(&rules, &base.clone().set_string_array("Names", ["x"])),
        "https://r1/x"
    );
    // Unknown names are ignored.
    assert_eq!(
        url_of(&rules, &base.clone().set("Other", "x")),
        "https://r1/n0"
    );

    let err = rules.resolve(&Params::new()).unwrap_err();
    assert_eq!(err.kind(), EndpointErrorKind::MissingParameter);
    assert_eq!(
        err.to_string(),
        "Cannot find value for required parameter Region"
    );

    let err = rules
        .resolve(&base.clone().set("UseFIPS", "true"))
        .unwrap_err();
    assert_eq!(err.kind(), EndpointErrorKind::InvalidParameter);
    assert_eq!(
        err.to_string(),
        "endpoint parameter `UseFIPS` must be a boolean"
    );
    let err = rules
        .resolve(&Params::new().set_bool("Region", true))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "endpoint parameter `Region` must be a string"
    );
}

#[test]
fn params_api() {
    let mut params = Params::new().set_value("A", "x").set_value("B", true);
    assert_eq!(
        params.insert("A", String::from("y")),
        Some(ParamValue::from("x"))
    );
    assert_eq!(params.get("A"), Some(&ParamValue::String("y".into())));
    assert_eq!(params.remove("B"), Some(ParamValue::Bool(true)));
    assert_eq!(params.get("B"), None);
    params.insert("C", vec![String::from("c")]);
    let all: Vec<(&str, &ParamValue)> = params.iter().collect();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].0, "C");
}

// ---- rules ----------------------------------------------------------------------------------

#[test]
fn conditions_and_assignment() {
    let rules = one_rule(
        r#"{"fn": "isSet", "argv": [{"ref": "A"}]},
           {"fn": "substring", "argv": [{"ref": "A"}, 0, 3, false], "assign": "Prefix"},
           {"fn": "stringEquals", "argv": [{"ref": "Prefix"}, "abc"]}"#,
        r#""https://{Prefix}.{A}""#,
    );
    assert_eq!(
        url_of(&rules, &Params::new().set("A", "abcdef")),
        "https://abc.abcdef"
    );
    // substring gives unset: the assigning condition fails.
    assert_eq!(
        url_of(&rules, &Params::new().set("A", "ab")),
        "error: no match"
    );
    assert_eq!(
        url_of(&rules, &Params::new().set("A", "xyzw")),
        "error: no match"
    );
    assert_eq!(url_of(&rules, &Params::new()), "error: no match");
}

#[test]
fn url_from_reference_and_call() {
    let rules = one_rule(
        r#"{"fn": "isSet", "argv": [{"ref": "A"}]}"#,
        r#"{"ref": "A"}"#,
    );
    assert_eq!(
        url_of(&rules, &Params::new().set("A", "https://x")),
        "https://x"
    );
    let rules = one_rule("", r#"{"fn": "uriEncode", "argv": ["a b"]}"#);
    assert_eq!(url_of(&rules, &Params::new()), "a%20b");
    // A URL that is not a string is an evaluation error.
    let rules = one_rule("", r#"{"ref": "F"}"#);
    let err = rules
        .resolve(&Params::new().set_bool("F", true))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "endpoint resolution failed: the endpoint URL must be a string, found a boolean"
    );
}

#[test]
fn headers_and_properties() {
    let rules = rule_set(
        r#"{"version": "1.0",
            "parameters": {"Region": {"type": "string", "required": true}},
            "rules": [{"conditions": [
                          {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
                       "type": "endpoint",
                       "endpoint": {
                           "url": "https://svc.{Region}.{P#dnsSuffix}",
                           "headers": {"x-region": ["{Region}", "static"], "x-empty": []},
                           "properties": {
                               "authSchemes": [{"name": "sigv4", "signingName": "svc",
                                                "signingRegion": "{Region}",
                                                "disableDoubleEncoding": true,
                                                "weight": 2, "nothing": null}],
                               "partition": "{P#name}"
                           }}}]}"#,
    );
    let endpoint = rules
        .resolve(&Params::new().set("Region", "eu-west-1"))
        .unwrap();
    assert_eq!(endpoint.url, "https://svc.eu-west-1.amazonaws.com");
    assert_eq!(
        endpoint.headers.get("x-region"),
        Some(&vec!["eu-west-1".to_owned(), "static".to_owned()])
    );
    assert_eq!(endpoint.headers.get("x-empty"), Some(&vec![]));
    assert_eq!(
        endpoint.properties.to_string(),
        r#"{"authSchemes":[{"disableDoubleEncoding":true,"name":"sigv4","nothing":null,"signingName":"svc","signingRegion":"eu-west-1","weight":2}],"partition":"aws"}"#
    );
    // Without headers and properties: empty.
    let endpoint = one_rule("", r#""https://x""#)
        .resolve(&Params::new())
        .unwrap();
    assert!(endpoint.headers.is_empty());
    assert_eq!(endpoint.properties, Document::Object(BTreeMap::new()));
}

#[test]
fn error_rules_are_templates() {
    let rules = rule_set(
        r#"{"version": "1.0", "parameters": {"Region": {"type": "string"}},
            "rules": [{"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                       "type": "error", "error": "Region {Region} is not supported"},
                      {"conditions": [], "type": "error", "error": "Missing Region"}]}"#,
    );
    let err = rules
        .resolve(&Params::new().set("Region", "x-1"))
        .unwrap_err();
    assert_eq!(err.kind(), EndpointErrorKind::Rule);
    assert_eq!(err.to_string(), "Region x-1 is not supported");
    assert_eq!(err.message(), "Region x-1 is not supported");
    assert_eq!(
        rules.resolve(&Params::new()).unwrap_err().to_string(),
        "Missing Region"
    );
}

#[test]
fn trees_fall_through_and_scope_assignments() {
    let rules = rule_set(
        r#"{"version": "1.0", "parameters": {"A": {"type": "string"}},
            "rules": [
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "A"}]}], "type": "tree",
                 "rules": [
                     {"conditions": [{"fn": "stringEquals", "argv": [{"ref": "A"}, "x"]}],
                      "type": "endpoint", "endpoint": {"url": "https://x"}}
                 ]},
                {"conditions": [], "type": "endpoint", "endpoint": {"url": "https://fallback"}}
            ]}"#,
    );
    assert_eq!(url_of(&rules, &Params::new().set("A", "x")), "https://x");
    assert_eq!(url_of(&rules, &Params::new()), "https://fallback");
    // The tree's conditions hold but none of its rules match: on to its siblings.
    assert_eq!(
        url_of(&rules, &Params::new().set("A", "y")),
        "https://fallback"
    );

    // No rule at all matching.
    let bare = rule_set(
        r#"{"version": "1.0", "parameters": {}, "rules": [
            {"conditions": [{"fn": "not", "argv": [true]}], "type": "error", "error": "e"}]}"#,
    );
    assert_eq!(
        bare.resolve(&Params::new()).unwrap_err().to_string(),
        "endpoint resolution failed: no rule matched the parameters"
    );

    // The same name may be assigned in sibling rules; each sees its own value.
    let rules = rule_set(
        r#"{"version": "1.0", "parameters": {"A": {"type": "string", "required": true}},
            "rules": [
                {"conditions": [
                    {"fn": "substring", "argv": [{"ref": "A"}, 0, 1, false], "assign": "X"},
                    {"fn": "stringEquals", "argv": [{"ref": "X"}, "a"]}],
                 "type": "endpoint", "endpoint": {"url": "first-{X}"}},
                {"conditions": [
                    {"fn": "substring", "argv": [{"ref": "A"}, 0, 1, true], "assign": "X"}],
                 "type": "tree", "rules": [
                    {"conditions": [], "type": "endpoint", "endpoint": {"url": "second-{X}"}}]}
            ]}"#,
    );
    assert_eq!(url_of(&rules, &Params::new().set("A", "abz")), "first-a");
    assert_eq!(url_of(&rules, &Params::new().set("A", "xbz")), "second-z");
}

/// A FIPS / dual-stack check in the style of most AWS rule sets, with a region given in
/// several partitions and a custom endpoint.
#[test]
fn fips_and_dual_stack_pattern() {
    let rules = rule_set(
        r#"{"version": "1.0",
            "parameters": {
                "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
                "UseDualStack": {"builtIn": "AWS::UseDualStack", "required": true,
                                 "default": false, "type": "Boolean"},
                "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false,
                            "type": "Boolean"},
                "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
            },
            "rules": [
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                                {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "Url"}],
                 "type": "endpoint",
                 "endpoint": {"url": "{Url#scheme}://{Url#authority}{Url#normalizedPath}svc"}},
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "type": "tree",
                 "rules": [{"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}],
                                            "assign": "PartitionResult"}],
                            "type": "tree", "rules": [
                    {"conditions": [
                        {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]},
                        {"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, true]}],
                     "type": "tree", "rules": [
                        {"conditions": [
                            {"fn": "booleanEquals", "argv": [true,
                                {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsFIPS"]}]},
                            {"fn": "booleanEquals", "argv": [true,
                                {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsDualStack"]}]}],
                         "type": "endpoint",
                         "endpoint": {"url": "https://svc-fips.{Region}.{PartitionResult#dualStackDnsSuffix}"}},
                        {"conditions": [], "type": "error",
                         "error": "FIPS and DualStack are enabled, but this partition does not support one or both"}]},
                    {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                     "type": "tree", "rules": [
                        {"conditions": [{"fn": "stringEquals", "argv": [
                            {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "name"]},
                            "aws-us-gov"]}],
                         "type": "endpoint",
                         "endpoint": {"url": "https://svc.{Region}.amazonaws.com"}},
                        {"conditions": [], "type": "endpoint",
                         "endpoint": {"url": "https://svc-fips.{Region}.{PartitionResult#dnsSuffix}"}}]},
                    {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, true]}],
                     "type": "endpoint",
                     "endpoint": {"url": "https://svc.{Region}.{PartitionResult#dualStackDnsSuffix}"}},
                    {"conditions": [], "type": "endpoint",
                     "endpoint": {"url": "https://svc.{Region}.{PartitionResult#dnsSuffix}"}}
                 ]}]},
                {"conditions": [], "type": "error", "error": "Invalid Configuration: Missing Region"}
            ]}"#,
    );
    let p = |region: &str, fips: bool, dual: bool| {
        Params::new()
            .set("Region", region)
            .set_bool("UseFIPS", fips)
            .set_bool("UseDualStack", dual)
    };
    for (params, expected) in [
        (
            p("us-east-1", false, false),
            "https://svc.us-east-1.amazonaws.com",
        ),
        (
            p("us-east-1", true, true),
            "https://svc-fips.us-east-1.api.aws",
        ),
        (
            p("us-east-1", true, false),
            "https://svc-fips.us-east-1.amazonaws.com",
        ),
        (p("us-east-1", false, true), "https://svc.us-east-1.api.aws"),
        (
            p("us-gov-west-1", true, false),
            "https://svc.us-gov-west-1.amazonaws.com",
        ),
        (
            p("cn-northwest-1", false, true),
            "https://svc.cn-northwest-1.api.amazonwebservices.com.cn",
        ),
        (
            p("eu-isoe-west-1", false, false),
            "https://svc.eu-isoe-west-1.cloud.adc-e.uk",
        ),
        (
            p("xx-made-up-1", false, false),
            "https://svc.xx-made-up-1.amazonaws.com",
        ),
        (
            p("us-east-1", false, false).set("Endpoint", "http://localhost:8080/base"),
            "http://localhost:8080/base/svc",
        ),
        (
            // Not a URL parseURL accepts: falls through to the regional rules.
            p("us-east-1", false, false).set("Endpoint", "https://h/?q"),
            "https://svc.us-east-1.amazonaws.com",
        ),
        (
            Params::new(),
            "error: Invalid Configuration: Missing Region",
        ),
    ] {
        assert_eq!(url_of(&rules, &params), expected, "{params:?}");
    }
}

/// An S3-like bucket rule: ARN parsing, bucket checks, `uriEncode`, `substring`.
#[test]
fn s3_like_pattern() {
    let rules = rule_set(
        r#"{"version": "1.0",
            "parameters": {"Bucket": {"type": "string", "required": true},
                           "Region": {"type": "string", "required": true}},
            "rules": [
                {"conditions": [{"fn": "aws.parseArn", "argv": [{"ref": "Bucket"}], "assign": "Arn"},
                                {"fn": "getAttr", "argv": [{"ref": "Arn"}, "resourceId[0]"], "assign": "Kind"},
                                {"fn": "stringEquals", "argv": [{"ref": "Kind"}, "accesspoint"]},
                                {"fn": "getAttr", "argv": [{"ref": "Arn"}, "resourceId[1]"], "assign": "Name"},
                                {"fn": "isValidHostLabel", "argv": [{"ref": "Name"}, false]}],
                 "type": "endpoint",
                 "endpoint": {"url": "https://{Name}-{Arn#accountId}.s3-accesspoint.{Arn#region}.amazonaws.com"}},
                {"conditions": [{"fn": "aws.parseArn", "argv": [{"ref": "Bucket"}]}],
                 "type": "error", "error": "Invalid ARN: {Bucket}"},
                {"conditions": [{"fn": "substring", "argv": [{"ref": "Bucket"}, 0, 6, true], "assign": "Suffix"},
                                {"fn": "stringEquals", "argv": [{"ref": "Suffix"}, "--x-s3"]}],
                 "type": "endpoint", "endpoint": {"url": "https://{Bucket}.s3express.{Region}.amazonaws.com"}},
                {"conditions": [{"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Bucket"}, false]}],
                 "type": "endpoint", "endpoint": {"url": "https://{Bucket}.s3.{Region}.amazonaws.com"}},
                {"conditions": [{"fn": "uriEncode", "argv": [{"ref": "Bucket"}], "assign": "Encoded"}],
                 "type": "endpoint", "endpoint": {"url": "https://s3.{Region}.amazonaws.com/{Encoded}"}}
            ]}"#,
    );
    let p = |bucket: &str| {
        Params::new()
            .set("Bucket", bucket)
            .set("Region", "us-west-2")
    };
    for (bucket, expected) in [
        (
            "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap",
            "https://my-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com",
        ),
        (
            "arn:aws:s3:us-west-2:123456789012:accesspoint:my-ap",
            "https://my-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com",
        ),
        (
            "arn:aws:s3:us-west-2:123:bucket/b",
            "error: Invalid ARN: arn:aws:s3:us-west-2:123:bucket/b",
        ),
        (
            "mybucket--usw2-az1--x-s3",
            "https://mybucket--usw2-az1--x-s3.s3express.us-west-2.amazonaws.com",
        ),
        ("my-bucket", "https://my-bucket.s3.us-west-2.amazonaws.com"),
        ("My_Bucket", "https://s3.us-west-2.amazonaws.com/My_Bucket"),
        ("a b/c", "https://s3.us-west-2.amazonaws.com/a%20b%2Fc"),
        (
            "192.168.0.1",
            "https://s3.us-west-2.amazonaws.com/192.168.0.1",
        ),
    ] {
        assert_eq!(url_of(&rules, &p(bucket)), expected, "{bucket}");
    }
}

// ---- malformed rule sets --------------------------------------------------------------------

const MINIMAL_RULE: &str =
    r#"{"conditions": [], "type": "endpoint", "endpoint": {"url": "https://x"}}"#;

fn with_rule(rule: &str) -> String {
    format!(
        r#"{{"version": "1.0", "parameters": {{"A": {{"type": "string"}}}}, "rules": [{rule}]}}"#
    )
}

fn with_condition(condition: &str) -> String {
    with_rule(&format!(
        r#"{{"conditions": [{condition}], "type": "endpoint", "endpoint": {{"url": "https://x"}}}}"#
    ))
}

#[test]
fn malformed_documents() {
    assert!(invalid("").starts_with("invalid endpoint rule set: invalid JSON"));
    assert!(invalid("{").starts_with("invalid endpoint rule set: invalid JSON"));
    assert!(invalid("{} x").contains("invalid JSON"));
    assert_eq!(
        invalid("[]"),
        "invalid endpoint rule set: $: expected an object, found an array"
    );
    assert_eq!(
        invalid(r#"{"parameters": {}}"#),
        "invalid endpoint rule set: $: missing `rules`"
    );
    assert!(invalid(r#"{"version": 1, "rules": []}"#).contains("version"));
    assert!(invalid(r#"{"rules": {}}"#).contains("rules: expected an array of rules"));
    assert!(
        invalid(r#"{"rules": [1]}"#).contains("rules[0]: expected a rule object, found a number")
    );
    assert!(
        invalid(r#"{"parameters": [], "rules": []}"#).contains("parameters: expected an object")
    );
    // An empty rule list is accepted; it matches nothing.
    let empty = rule_set(r#"{"rules": []}"#);
    assert!(empty.resolve(&Params::new()).is_err());
}

#[test]
fn malformed_parameters() {
    let param = |def: &str| invalid(&format!(r#"{{"parameters": {{"P": {def}}}, "rules": []}}"#));
    assert!(param("1").contains("parameters.P: expected an object"));
    assert!(param("{}").contains("parameters.P: missing `type`"));
    assert!(param(r#"{"type": "int"}"#).contains("unknown parameter type `int`"));
    assert!(
        param(r#"{"type": "string", "required": "yes"}"#).contains("`required` must be a boolean")
    );
    assert!(param(r#"{"type": "string", "default": true}"#).contains("`default` is not a string"));
    assert!(
        param(r#"{"type": "boolean", "default": "true"}"#).contains("`default` is not a boolean")
    );
    assert!(
        param(r#"{"type": "stringArray", "default": [1]}"#)
            .contains("`default` is not a string array")
    );
    assert!(param(r#"{"type": "string", "builtIn": 3}"#).contains("`builtIn` must be a string"));
    assert!(
        invalid(r#"{"parameters": {"a-b": {"type": "string"}}, "rules": []}"#)
            .contains("invalid parameter name")
    );
}

#[test]
fn malformed_rules() {
    assert!(invalid(&with_rule(r#"{"conditions": []}"#)).contains("rules[0]: missing rule `type`"));
    assert!(invalid(&with_rule(r#"{"type": "magic"}"#)).contains("unknown rule type `magic`"));
    assert!(
        invalid(&with_rule(r#"{"type": "endpoint"}"#)).contains("rules[0]: missing `endpoint`")
    );
    assert!(invalid(&with_rule(r#"{"type": "error"}"#)).contains("missing `error`"));
    assert!(invalid(&with_rule(r#"{"type": "tree"}"#)).contains("missing `rules`"));
    assert!(
        invalid(&with_rule(r#"{"type": "endpoint", "endpoint": {}}"#))
            .contains("rules[0].endpoint: missing `url`")
    );
    assert!(
        invalid(&with_rule(
            r#"{"type": "endpoint", "endpoint": {"url": "x", "headers": []}}"#
        ))
        .contains("endpoint.headers: expected an object")
    );
    assert!(
        invalid(&with_rule(
            r#"{"type": "endpoint", "endpoint": {"url": "x", "headers": {"h": "v"}}}"#
        ))
        .contains("endpoint.headers.h: expected an array")
    );
    assert!(
        invalid(&with_rule(
            r#"{"type": "endpoint", "endpoint": {"url": "x", "properties": []}}"#
        ))
        .contains("endpoint.properties: expected an object")
    );
    assert!(
        invalid(&with_rule(
            r#"{"type": "endpoint", "endpoint": {"url": "x", "properties": {"a": ["{Nope}"]}}}"#
        ))
        .contains("endpoint.properties.a[0]: `Nope` is neither")
    );
    assert!(
        invalid(&with_rule(
            r#"{"conditions": {}, "type": "error", "error": "e"}"#
        ))
        .contains("rules[0].conditions: expected an array")
    );
    assert!(
        invalid(&with_rule(
            r#"{"type": "endpoint", "endpoint": {"url": null}}"#
        ))
        .contains("unexpected null")
    );
    assert!(
        invalid(&with_rule(
            r#"{"type": "endpoint", "endpoint": {"url": {"x": 1}}}"#
        ))
        .contains("expected a literal, a `ref` or a function call")
    );
    // A nested path in the error.
    let nested = with_rule(&format!(
        r#"{{"conditions": [], "type": "tree", "rules": [{MINIMAL_RULE}, {{"type": "tree", "rules": [{{"type": "nope"}}]}}]}}"#
    ));
    assert_eq!(
        invalid(&nested),
        "invalid endpoint rule set: rules[0].rules[1].rules[0]: unknown rule type `nope`"
    );
}

#[test]
fn malformed_conditions() {
    assert_eq!(
        invalid(&with_condition(r#"{"fn": "frobnicate", "argv": []}"#)),
        "invalid endpoint rule set: rules[0].conditions[0]: unknown function `frobnicate`"
    );
    assert_eq!(
        invalid(&with_condition(r#"{"fn": "isSet", "argv": [true, true]}"#)),
        "invalid endpoint rule set: rules[0].conditions[0]: `isSet` takes 1 argument, found 2"
    );
    assert!(
        invalid(&with_condition(r#"{"fn": "substring", "argv": ["a"]}"#))
            .contains("`substring` takes 4 arguments, found 1")
    );
    assert!(invalid(&with_condition(r#"{"fn": "isSet"}"#)).contains("missing `argv` array"));
    assert!(invalid(&with_condition(r#"{"fn": 3, "argv": []}"#)).contains("missing `fn`"));
    assert!(invalid(&with_condition("true")).contains("expected a function call, found a boolean"));
    assert!(invalid(&with_condition(r#"{"ref": "A"}"#)).contains("missing `fn`"));
    assert!(
        invalid(&with_condition(r#"{"fn": "isSet", "argv": [{"ref": 1}]}"#))
            .contains("`ref` must be a string")
    );
    assert_eq!(
        invalid(&with_condition(
            r#"{"fn": "isSet", "argv": [{"ref": "B"}]}"#
        )),
        "invalid endpoint rule set: rules[0].conditions[0].argv[0]: `B` is neither a parameter nor assigned before this point"
    );
    assert!(
        invalid(&with_condition(
            r#"{"fn": "isSet", "argv": [{"ref": "A"}], "assign": 1}"#
        ))
        .contains("`assign` must be a string")
    );
    assert!(
        invalid(&with_condition(
            r#"{"fn": "isSet", "argv": [{"ref": "A"}], "assign": ""}"#
        ))
        .contains("empty `assign`")
    );
    // Shadowing a parameter or an earlier assignment.
    assert!(
        invalid(&with_condition(
            r#"{"fn": "isSet", "argv": [{"ref": "A"}], "assign": "A"}"#
        ))
        .contains("would shadow `A`")
    );
    // A self-referential assignment: the name is not bound inside its own condition.
    assert!(
        invalid(&with_condition(
            r#"{"fn": "not", "argv": [{"ref": "X"}], "assign": "X"}"#
        ))
        .contains("`X` is neither")
    );
    // An assignment is not visible to later sibling rules.
    let sibling = with_rule(
        r#"{"conditions": [{"fn": "isSet", "argv": [{"ref": "A"}], "assign": "S"}], "type": "error", "error": "e"},
           {"conditions": [], "type": "error", "error": "{S}"}"#,
    );
    assert_eq!(
        invalid(&sibling),
        "invalid endpoint rule set: rules[1].error: `S` is neither a parameter nor assigned before this point"
    );
    // Nor inside an ancestor's later conditions.
    let inner_to_outer = with_rule(
        r#"{"conditions": [], "type": "tree", "rules": [
              {"conditions": [{"fn": "isSet", "argv": [{"ref": "A"}], "assign": "S"}], "type": "error", "error": "e"}]},
           {"conditions": [{"fn": "isSet", "argv": [{"ref": "S"}]}], "type": "error", "error": "e"}"#,
    );
    assert!(invalid(&inner_to_outer).contains("rules[1].conditions[0].argv[0]: `S` is neither"));
}

#[test]
fn nesting_limits() {
    // Tree rules nested just within the limit are fine, one more is an error.
    let tree = |levels: usize| {
        let mut rule = MINIMAL_RULE.to_owned();
        for _ in 0..levels {
            rule = format!(r#"{{"conditions": [], "type": "tree", "rules": [{rule}]}}"#);
        }
        with_rule(&rule)
    };
    let ok = rule_set(&tree(parse::MAX_NESTING));
    assert_eq!(ok.resolve(&Params::new()).unwrap().url, "https://x");
    assert!(invalid(&tree(parse::MAX_NESTING + 1)).contains("tree rules nested more than 32 deep"));
    // Deeper still: the JSON reader's own limit.
    assert!(invalid(&tree(200)).contains("invalid JSON"));

    let calls = |levels: usize| {
        let mut expr = "true".to_owned();
        for _ in 0..levels {
            expr = format!(r#"{{"fn": "not", "argv": [{expr}]}}"#);
        }
        with_condition(&expr)
    };
    assert!(RuleSet::from_json(&calls(parse::MAX_NESTING)).is_ok());
    assert!(invalid(&calls(parse::MAX_NESTING + 2)).contains("nested more than 32 deep"));
    let arrays = |levels: usize| {
        with_condition(&format!(
            r#"{{"fn": "isSet", "argv": [{}1{}]}}"#,
            "[".repeat(levels),
            "]".repeat(levels)
        ))
    };
    assert!(RuleSet::from_json(&arrays(10)).is_ok());
    assert!(invalid(&arrays(40)).contains("expressions nested more than 32 deep"));
}

/// Random damage to a real rule set must give errors, never panics.
#[test]
fn mutated_rule_sets_never_panic() {
    let original = PARAMS;
    let pieces = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "{\"ref\": \"Region\"}",
        "{\"fn\": \"not\", \"argv\": [",
        "\"{Region}\"",
        "\"{\"",
        "true",
        "1",
        "-1",
        "null",
        "\"tree\"",
        "\"endpoint\"",
        "\"error\"",
        "\"getAttr\"",
        "\"[0]\"",
        "\"a.b[\"",
    ];
    let mut state: u64 = 0x1234_5678_9abc_def1;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let mut parsed = 0;
    for _ in 0..3000 {
        let mut text = original.to_owned();
        for _ in 0..1 + next(3) {
            let at = next(text.len());
            let at = (0..=at)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            let cut = (at + next(12)).min(text.len());
            let cut = (cut..=text.len())
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(text.len());
            text.replace_range(at..cut, pieces[next(pieces.len())]);
        }
        if let Ok(rules) = RuleSet::from_json(&text) {
            parsed += 1;
            for params in [
                Params::new(),
                Params::new()
                    .set("Region", "us-east-1")
                    .set_bool("UseFIPS", true),
                Params::new().set_bool("Region", true),
            ] {
                let _ = rules.resolve(&params);
            }
        }
    }
    assert!(parsed > 0);
}

#[test]
fn errors_are_errors() {
    fn assert_error<E: Error + Send + Sync + 'static>() {}
    assert_error::<EndpointError>();
    fn assert_shared<T: Send + Sync>() {}
    assert_shared::<RuleSet>();
}
