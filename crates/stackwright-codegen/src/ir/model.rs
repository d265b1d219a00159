//! The model the handlebars templates loop over.

use serde::Serialize;

/// Names the generated modules import or use from the prelude: no generated type may take one.
pub(super) const RESERVED_TYPE_NAMES: &[&str] = &[
    "BTreeMap",
    "Box",
    "CfnResource",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "Eq",
    "From",
    "Hash",
    "Intrinsic",
    "Into",
    "Json",
    "LogicalId",
    "None",
    "Option",
    "Ord",
    "PartialEq",
    "ResourceFacts",
    "Result",
    "Self",
    "Serialize",
    "Sized",
    "Some",
    "String",
    "Value",
    "Vec",
];

/// One generated resource module (one CloudFormation type).
#[derive(Debug, Clone, Serialize)]
pub struct ResourceModule {
    /// `AWS::ECR::Repository`.
    pub type_name: String,
    /// The type name as a Rust string literal.
    pub type_name_lit: String,
    /// `aws-ecr-repository.json`.
    pub schema_file: String,
    /// Service module name: `ecr`.
    pub service: String,
    /// Resource module name: `repository`.
    pub module: String,
    /// `use` paths the module needs.
    pub imports: Vec<String>,
    /// The resource struct.
    pub resource: StructIr,
    /// Name of the attributes struct: `RepositoryAttributes`.
    pub attributes_name: String,
    /// `Fn::GetAtt` accessors.
    pub attributes: Vec<AttributeIr>,
    /// Schema facts, as lists of Rust string literals.
    pub facts: FactsIr,
    /// Property types, sorted by name.
    pub structs: Vec<StructIr>,
    /// Enumerations, sorted by name.
    pub enums: Vec<EnumIr>,
    /// Property tables of every property type, including the shared `Tag`: schema pointer of
    /// the object and the Rust path of the type, sorted by pointer.
    pub property_types: Vec<PropertyTypeIr>,
}

/// A struct: the resource itself or a property type.
#[derive(Debug, Clone, Serialize)]
pub struct StructIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// JSON pointer of the object schema in its schema file.
    pub pointer: String,
    /// Whether this is a property type (gets `From<Self> for Value<Self>`).
    pub is_property_type: bool,
    /// Derive `Default` (no required fields).
    pub derive_default: bool,
    /// All fields, sorted by CloudFormation name.
    pub fields: Vec<FieldIr>,
    /// The required fields, in field order: the `new` arguments.
    pub required_fields: Vec<FieldIr>,
    /// The optional fields, in field order: the setters.
    pub optional_fields: Vec<FieldIr>,
    /// The CloudFormation property names as Rust string literals, sorted.
    pub property_names: Vec<String>,
}

/// One field of a struct.
#[derive(Debug, Clone, Serialize)]
pub struct FieldIr {
    /// CloudFormation name as a Rust string literal.
    pub cfn_name_lit: String,
    /// Field, argument and setter name.
    pub rust_name: String,
    /// The `Value<_>` type.
    pub value_ty: String,
    /// The field type: `value_ty`, or `Option<value_ty>`.
    pub field_ty: String,
    /// Whether the property is required.
    pub required: bool,
    /// Doc lines.
    pub docs: Vec<String>,
}

/// A `Fn::GetAtt` accessor.
#[derive(Debug, Clone, Serialize)]
pub struct AttributeIr {
    /// Method name.
    pub method: String,
    /// Attribute name as a Rust string literal (`"Endpoint.Address"`).
    pub attribute_lit: String,
    /// Return type.
    pub ty: String,
    /// Doc lines.
    pub docs: Vec<String>,
}

/// Schema facts, each a list of Rust string literals.
#[derive(Debug, Clone, Serialize)]
pub struct FactsIr {
    /// Top-level property names, sorted.
    pub properties: Vec<String>,
    /// Required property names.
    pub required: Vec<String>,
    /// JSON pointers.
    pub primary_identifier: Vec<String>,
    /// JSON pointers.
    pub create_only_properties: Vec<String>,
    /// JSON pointers.
    pub read_only_properties: Vec<String>,
    /// JSON pointers.
    pub conditional_create_only_properties: Vec<String>,
}

/// A string enumeration.
#[derive(Debug, Clone, Serialize)]
pub struct EnumIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// Variants in schema order.
    pub variants: Vec<VariantIr>,
}

/// One enum variant.
#[derive(Debug, Clone, Serialize)]
pub struct VariantIr {
    /// Rust name.
    pub name: String,
    /// The CloudFormation value as a Rust string literal.
    pub value_lit: String,
    /// Doc line.
    pub doc: String,
}

/// A row of the crate's property-type table.
#[derive(Debug, Clone, Serialize)]
pub struct PropertyTypeIr {
    /// JSON pointer of the object schema, as a Rust string literal.
    pub pointer_lit: String,
    /// Rust path of the struct, from the crate root.
    pub path: String,
}
