//! Event-stream operations are left out of the generated crate, each with a note.
//!
//! This generator has no event-stream framing (`application/vnd.amazon.eventstream`), so an
//! operation whose input or output reaches an event-stream shape cannot be called. Rather than
//! refusing the whole model, [`leave_out`] removes such operations, and the shapes only they
//! used, before lowering; the crate's documentation lists them (see [`OmittedOperation`]).

use std::collections::BTreeSet;

use super::OmittedOperation;
use super::lower::closure;
use crate::model::ServiceModel;

/// Why an operation is left out, as shown in the crate docs and the corpus table.
const REASON: &str = "uses an event stream, which this generator does not support yet";

/// The model without its event-stream operations, and the operations left out.
///
/// An event-stream shape that no remaining operation reaches is removed too; one that is still
/// reachable stays, so lowering names it as unsupported. Shapes that no operation reached before
/// are kept as they were.
pub fn leave_out(model: &ServiceModel) -> (Option<ServiceModel>, Vec<OmittedOperation>) {
    let streaming: BTreeSet<&str> = model
        .shapes
        .iter()
        .filter(|(_, shape)| shape.eventstream == Some(true))
        .map(|(name, _)| name.as_str())
        .collect();
    if streaming.is_empty() {
        return (None, Vec::new());
    }
    let mut omitted = Vec::new();
    let mut kept_roots = Vec::new();
    let mut all_roots = Vec::new();
    for (name, op) in &model.operations {
        let roots: Vec<&str> = [&op.input, &op.output]
            .into_iter()
            .flatten()
            .map(|io| io.shape.as_str())
            .chain(op.errors.iter().map(|e| e.shape.as_str()))
            .collect();
        all_roots.extend(roots.iter().copied());
        let reached = closure(model, roots.iter().copied());
        if let Some(stream) = reached.iter().find(|s| streaming.contains(s.as_str())) {
            omitted.push(OmittedOperation {
                name: name.clone(),
                reason: REASON.to_owned(),
                shape: stream.clone(),
            });
        } else {
            kept_roots.extend(roots);
        }
    }
    let before = closure(model, all_roots.into_iter());
    let after = closure(model, kept_roots.into_iter());
    let mut filtered = model.clone();
    filtered
        .operations
        .retain(|name, _| !omitted.iter().any(|o| &o.name == name));
    filtered.shapes.retain(|name, shape| {
        let orphaned = before.contains(name.as_str()) && !after.contains(name.as_str());
        let stray_stream = (shape.eventstream == Some(true) || shape.event == Some(true))
            && !after.contains(name.as_str());
        !(orphaned || stray_stream)
    });
    (Some(filtered), omitted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(json: &str) -> ServiceModel {
        serde_json::from_str(json).unwrap()
    }

    const MODEL: &str = r#"{
        "metadata": {"protocol": "rest-json", "apiVersion": "2020-01-01", "endpointPrefix": "x"},
        "operations": {
            "Plain": {"name": "Plain", "http": {"method": "GET", "requestUri": "/"},
                      "input": {"shape": "PlainIn"}},
            "Stream": {"name": "Stream", "http": {"method": "POST", "requestUri": "/s"},
                       "input": {"shape": "StreamIn"}, "output": {"shape": "StreamOut"}}
        },
        "shapes": {
            "PlainIn": {"type": "structure", "members": {"Shared": {"shape": "Shared"}}},
            "StreamIn": {"type": "structure", "members": {"Shared": {"shape": "Shared"},
                         "Only": {"shape": "OnlyStream"}}},
            "StreamOut": {"type": "structure", "members": {"Events": {"shape": "Events"}},
                          "payload": "Events"},
            "Events": {"type": "structure", "eventstream": true,
                       "members": {"Chunk": {"shape": "Chunk"}}},
            "Chunk": {"type": "structure", "event": true,
                      "members": {"Bytes": {"shape": "Blob", "eventpayload": true}}},
            "Blob": {"type": "blob"},
            "Shared": {"type": "string"},
            "OnlyStream": {"type": "string"},
            "Unused": {"type": "string"}
        }
    }"#;

    #[test]
    fn event_stream_operations_and_their_own_shapes_are_left_out() {
        let (filtered, omitted) = leave_out(&model(MODEL));
        let filtered = filtered.expect("the model has an event stream");
        assert_eq!(omitted.len(), 1);
        assert_eq!(omitted[0].name, "Stream");
        assert_eq!(omitted[0].shape, "Events");
        assert_eq!(
            filtered.operations.keys().collect::<Vec<_>>(),
            vec!["Plain"]
        );
        let shapes: Vec<&str> = filtered.shapes.keys().map(String::as_str).collect();
        assert_eq!(shapes, vec!["PlainIn", "Shared", "Unused"]);
    }

    #[test]
    fn a_model_without_event_streams_is_untouched() {
        let plain = MODEL
            .replace(r#""eventstream": true,"#, "")
            .replace(r#""event": true,"#, "");
        let (filtered, omitted) = leave_out(&model(&plain));
        assert!(filtered.is_none());
        assert!(omitted.is_empty());
    }
}
