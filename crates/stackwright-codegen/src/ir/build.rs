//! Schema → model: names, types, docs and facts for one resource type.

use std::collections::{BTreeMap, BTreeSet};

use stackwright_schema::{AdditionalProperties, JsonType, PropertySchema, ResourceSchema, SchemaType};

use super::model::{
    AttributeIr, EnumIr, FactsIr, FieldIr, PropertyTypeIr, RESERVED_TYPE_NAMES, ResourceModule, StructIr, VariantIr,
};
use super::types::{
    SHARED_TAG, Ty, doc_url, escape_pointer_segment, is_object_with_properties, is_shared_tag, lit, resource_module,
    service_module, string_enum_values,
};
use crate::docs::doc_lines;
use crate::naming;

/// Builds the IR of one resource type.
pub fn build(schema: &ResourceSchema, schema_file: &str) -> ResourceModule {
    Builder::new(schema).build(schema_file)
}

struct Builder<'a> {
    schema: &'a ResourceSchema,
    resource_name: String,
    taken: BTreeSet<String>,
    /// Named types of definitions, by definition name.
    definitions: BTreeMap<String, Ty>,
    /// Types already built for a schema pointer (inline objects and enums, alias definitions).
    by_pointer: BTreeMap<String, Ty>,
    structs: Vec<StructIr>,
    enums: Vec<EnumIr>,
    property_types: Vec<PropertyTypeIr>,
    uses_json: bool,
    uses_map: bool,
    service: String,
    module: String,
}

impl<'a> Builder<'a> {
    fn new(schema: &'a ResourceSchema) -> Self {
        let resource_name = naming::type_name(schema.type_name.rsplit("::").next().unwrap_or_default());
        let mut taken: BTreeSet<String> = RESERVED_TYPE_NAMES.iter().map(|s| (*s).to_owned()).collect();
        taken.insert(resource_name.clone());
        taken.insert(format!("{resource_name}Attributes"));
        Self {
            schema,
            resource_name,
            taken,
            definitions: BTreeMap::new(),
            by_pointer: BTreeMap::new(),
            structs: Vec::new(),
            enums: Vec::new(),
            property_types: Vec::new(),
            uses_json: false,
            uses_map: false,
            service: service_module(&schema.type_name),
            module: resource_module(&schema.type_name),
        }
    }

    fn claim(&mut self, candidate: &str, owner: &str) -> String {
        let mut name = candidate.to_owned();
        if self.taken.contains(&name) {
            name = format!("{owner}{candidate}");
        }
        let base = name.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    fn build(mut self, schema_file: &str) -> ResourceModule {
        let schema = self.schema;
        // Definitions claim their names first, so inline types never take them.
        for (name, definition) in &schema.definitions {
            if is_shared_tag(name, definition) {
                self.definitions.insert(name.clone(), Ty::Named(SHARED_TAG.to_owned()));
                self.property_types.push(PropertyTypeIr {
                    pointer_lit: lit(&format!("/definitions/{}", escape_pointer_segment(name))),
                    path: SHARED_TAG.to_owned(),
                });
            } else if is_object_with_properties(definition) || string_enum_values(definition).is_some() {
                let rust = self.claim(&naming::type_name(name), &self.resource_name.clone());
                self.definitions.insert(name.clone(), Ty::Named(rust));
            }
        }
        for (name, definition) in &schema.definitions {
            let pointer = format!("/definitions/{}", escape_pointer_segment(name));
            let Some(Ty::Named(rust)) = self.definitions.get(name).cloned() else { continue };
            if rust == SHARED_TAG {
                continue;
            }
            if let Some(values) = string_enum_values(definition) {
                self.push_enum(rust, definition, &values);
            } else {
                self.push_struct(rust, definition, &pointer, true);
            }
        }

        let read_only: BTreeSet<&str> =
            schema.read_only_properties.iter().filter_map(|p| p.strip_prefix("/properties/")).collect();
        let writable = PropertySchema {
            properties: schema
                .properties
                .iter()
                .filter(|(name, _)| !read_only.contains(name.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            required: schema.required.clone(),
            description: schema.description.clone(),
            ..PropertySchema::default()
        };
        let resource_name = self.resource_name.clone();
        let mut resource = self.struct_ir(resource_name.clone(), &writable, "", false);
        resource.docs.push(String::new());
        resource.docs.push(format!("CloudFormation type `{}`: <{}>", schema.type_name, doc_url(&schema.type_name)));
        let attributes = self.attributes();

        self.structs.sort_by(|a, b| a.name.cmp(&b.name));
        self.enums.sort_by(|a, b| a.name.cmp(&b.name));
        for s in &self.structs {
            self.property_types.push(PropertyTypeIr {
                pointer_lit: lit(&s.pointer),
                path: format!("crate::{}::{}::{}", self.service, self.module, s.name),
            });
        }
        self.property_types.sort_by(|a, b| a.pointer_lit.cmp(&b.pointer_lit));

        let serde_items = if self.enums.is_empty() {
            "serde::{Deserialize, Deserializer, Serialize}"
        } else {
            "serde::{Deserialize, Deserializer, Serialize, Serializer}"
        };
        let mut imports = vec![serde_items.to_owned()];
        if self.uses_map {
            imports.push("std::collections::BTreeMap".to_owned());
        }
        let mut template_items = vec!["CfnResource", "LogicalId", "ResourceFacts", "Value"];
        if !attributes.is_empty() {
            template_items.push("Intrinsic");
        }
        if self.uses_json || attributes.iter().any(|a| a.ty.contains("Json")) {
            template_items.push("Json");
        }
        template_items.sort_unstable();
        imports.push(format!("stackwright_template::{{{}}}", template_items.join(", ")));
        imports.sort();

        let lits = |items: &[String]| items.iter().map(|s| lit(s)).collect::<Vec<_>>();
        let facts = FactsIr {
            properties: lits(&schema.properties.keys().cloned().collect::<Vec<_>>()),
            required: lits(&schema.required),
            primary_identifier: lits(&schema.primary_identifier),
            create_only_properties: lits(&schema.create_only_properties),
            read_only_properties: lits(&schema.read_only_properties),
            conditional_create_only_properties: lits(&schema.conditional_create_only_properties),
        };
        ResourceModule {
            type_name: schema.type_name.clone(),
            type_name_lit: lit(&schema.type_name),
            schema_file: schema_file.to_owned(),
            service: self.service.clone(),
            module: self.module.clone(),
            imports,
            attributes_name: format!("{resource_name}Attributes"),
            resource,
            attributes,
            facts,
            structs: self.structs,
            enums: self.enums,
            property_types: self.property_types,
        }
    }

    fn push_struct(&mut self, name: String, schema: &PropertySchema, pointer: &str, is_property_type: bool) {
        let ir = self.struct_ir(name, schema, pointer, is_property_type);
        self.structs.push(ir);
    }

    fn push_enum(&mut self, name: String, schema: &PropertySchema, values: &[String]) {
        let mut docs = doc_lines(schema.description.as_deref());
        if docs.is_empty() {
            docs.push(format!("Allowed values of `{name}`."));
        }
        let variants = naming::variant_names(values)
            .into_iter()
            .zip(values)
            .map(|(name, value)| VariantIr {
                name,
                value_lit: lit(value),
                doc: format!("`{}`", value.replace('`', "'")),
            })
            .collect();
        self.enums.push(EnumIr { name, docs, variants });
    }

    fn struct_ir(&mut self, name: String, schema: &PropertySchema, pointer: &str, is_property_type: bool) -> StructIr {
        let required: BTreeSet<&str> = schema.required.iter().map(String::as_str).collect();
        let mut used_names: BTreeSet<String> = ["new".to_owned()].into();
        let mut fields = Vec::new();
        for (cfn_name, property) in &schema.properties {
            let property_pointer = format!("{pointer}/properties/{}", escape_pointer_segment(cfn_name));
            let ty = self.ty(property, &name, cfn_name, &property_pointer);
            ty.uses(&mut self.uses_json, &mut self.uses_map);
            let mut rust_name = naming::field_name(cfn_name);
            let base = rust_name.clone();
            let mut n = 2;
            while !used_names.insert(rust_name.clone()) {
                rust_name = format!("{base}_{n}");
                n += 1;
            }
            let is_required = required.contains(cfn_name.as_str());
            let mut docs =
                doc_lines(property.description.as_deref().or(self.schema.deref(property).description.as_deref()));
            if let Some(integer_values) = integer_enum(self.schema.deref(property)) {
                docs.push(String::new());
                docs.push(format!("Allowed values: {integer_values}."));
            }
            if self.schema.deprecated_properties.iter().any(|p| p == &property_pointer) {
                docs.push(String::new());
                docs.push("Deprecated by the schema.".to_owned());
            }
            docs.push(String::new());
            docs.push(format!("CloudFormation property `{cfn_name}`{}.", if is_required { "; required" } else { "" }));
            let value_ty = ty.value();
            fields.push(FieldIr {
                cfn_name_lit: lit(cfn_name),
                field_ty: if is_required { value_ty.clone() } else { format!("Option<{value_ty}>") },
                value_ty,
                rust_name,
                required: is_required,
                docs,
            });
        }
        let mut docs = doc_lines(schema.description.as_deref());
        if docs.is_empty() {
            docs.push(format!("The `{name}` property type."));
        }
        let required_fields: Vec<FieldIr> = fields.iter().filter(|f| f.required).cloned().collect();
        let optional_fields: Vec<FieldIr> = fields.iter().filter(|f| !f.required).cloned().collect();
        StructIr {
            docs,
            pointer: pointer.to_owned(),
            is_property_type,
            derive_default: required_fields.is_empty(),
            property_names: schema.properties.keys().map(|k| lit(k)).collect(),
            fields,
            required_fields,
            optional_fields,
            name,
        }
    }

    /// The type of a schema node found at `pointer`, naming inline types after `property`
    /// (prefixed with `owner` on a clash).
    fn ty(&mut self, node: &PropertySchema, owner: &str, property: &str, pointer: &str) -> Ty {
        if let Some(reference) = &node.reference {
            let Some((_, target)) = reference.split_once('#') else { return Ty::Json };
            if let Some(ty) = target.strip_prefix("/definitions/").and_then(|d| self.definitions.get(d)) {
                return ty.clone();
            }
            let Some(resolved) = self.schema.resolve(reference) else { return Ty::Json };
            // An alias definition (a list, a plain string…) is typed once, named after itself.
            let name = target.rsplit('/').next().unwrap_or(property).to_owned();
            return self.ty(resolved, owner, &name, target);
        }
        if let Some(ty) = self.by_pointer.get(pointer) {
            return ty.clone();
        }
        let ty = self.ty_uncached(node, owner, property, pointer);
        self.by_pointer.insert(pointer.to_owned(), ty.clone());
        ty
    }

    fn ty_uncached(&mut self, node: &PropertySchema, owner: &str, property: &str, pointer: &str) -> Ty {
        if let Some(values) = string_enum_values(node) {
            let name = self.claim(&naming::type_name(property), owner);
            self.push_enum(name.clone(), node, &values);
            return Ty::Named(name);
        }
        if is_object_with_properties(node) {
            let name = self.claim(&naming::type_name(property), owner);
            self.push_struct(name.clone(), node, pointer, true);
            return Ty::Named(name);
        }
        match &node.ty {
            Some(SchemaType::One(ty)) => self.ty_of(*ty, node, owner, property, pointer),
            Some(SchemaType::Many(types)) if types.len() == 1 => self.ty_of(types[0], node, owner, property, pointer),
            None if node.items.is_some() => self.ty_of(JsonType::Array, node, owner, property, pointer),
            // Several types (`["object", "string"]`) or none at all: untyped.
            Some(SchemaType::Many(_)) | None => Ty::Json,
        }
    }

    fn ty_of(&mut self, ty: JsonType, node: &PropertySchema, owner: &str, property: &str, pointer: &str) -> Ty {
        match ty {
            JsonType::String => Ty::String,
            JsonType::Integer => Ty::Integer,
            JsonType::Number => Ty::Number,
            JsonType::Boolean => Ty::Boolean,
            JsonType::Null => Ty::Json,
            JsonType::Array => match &node.items {
                Some(items) => {
                    let item_name = naming::singular(property).unwrap_or_else(|| format!("{property}Item"));
                    Ty::List(Box::new(self.ty(items, owner, &item_name, &format!("{pointer}/items"))))
                }
                None => Ty::Json,
            },
            JsonType::Object => {
                if node.pattern_properties.len() == 1 {
                    let (pattern, value) = node.pattern_properties.iter().next().expect("one entry");
                    let value_pointer = format!("{pointer}/patternProperties/{}", escape_pointer_segment(pattern));
                    return Ty::Map(Box::new(self.ty(value, owner, &format!("{property}Value"), &value_pointer)));
                }
                if let (true, Some(AdditionalProperties::Schema(value))) =
                    (node.pattern_properties.is_empty(), &node.additional_properties)
                {
                    let value_pointer = format!("{pointer}/additionalProperties");
                    return Ty::Map(Box::new(self.ty(value, owner, &format!("{property}Value"), &value_pointer)));
                }
                Ty::Json
            }
        }
    }

    fn attributes(&self) -> Vec<AttributeIr> {
        let mut used = BTreeSet::new();
        let mut out = Vec::new();
        for pointer in &self.schema.read_only_properties {
            let Some(path) = pointer.strip_prefix("/properties/") else { continue };
            if path.contains('*') {
                continue;
            }
            let attribute = path.replace('/', ".");
            let mut method =
                naming::escape_keyword(&path.split('/').map(naming::snake_case).collect::<Vec<_>>().join("_"));
            if method == "logical_id" {
                "logical_id_attribute".clone_into(&mut method);
            }
            if !used.insert(method.clone()) {
                continue;
            }
            let node = self.schema.at_pointer(pointer);
            let ty = match node.and_then(PropertySchema::single_type) {
                Some(JsonType::String) => "Value<String>",
                Some(JsonType::Integer) => "Value<i64>",
                Some(JsonType::Array)
                    if node
                        .and_then(|n| n.items.as_deref())
                        .is_some_and(|items| self.schema.deref(items).single_type() == Some(JsonType::String)) =>
                {
                    "Value<Vec<Value<String>>>"
                }
                _ => "Value<Json>",
            };
            let mut docs = doc_lines(node.and_then(|n| n.description.as_deref()));
            if !docs.is_empty() {
                docs.push(String::new());
            }
            docs.push(format!("`Fn::GetAtt` of the `{attribute}` attribute."));
            out.push(AttributeIr { method, attribute_lit: lit(&attribute), ty: ty.to_owned(), docs });
        }
        out
    }
}

/// The allowed values of an integer enum, for its doc line.
fn integer_enum(schema: &PropertySchema) -> Option<String> {
    let values = schema.enum_values.as_ref()?;
    if values.iter().all(serde_json::Value::is_number) && !values.is_empty() {
        Some(values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "))
    } else {
        None
    }
}
