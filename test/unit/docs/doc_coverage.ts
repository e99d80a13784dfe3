// Walks a declaration file with the TypeScript compiler API and lists what a user would hover and find no
// comment on: functions (each overload), classes and their public members (constructors included), interfaces
// and every property of an object type (option fields, result fields, tf's namespaces), exported types and
// constants. Overriding members may take the comment of the member they override, as TypeScript's hover does.
import ts from 'typescript';

export interface Undocumented {
  /** `function tf.matmul`, `Dense.build`, `GradientTapeOptions.persistent`, `tf.nn.softmax`. */
  name: string;
  /** 1-based line in the file. */
  line: number;
}

export interface CoverageReport {
  checked: number;
  undocumented: Undocumented[];
  /** Members of each class a user can reach (neither private nor protected). */
  classMembers: Map<string, string[]>;
}

/** True when the node carries a `/** … *\/` comment with text (a lone `@internal` or `@example` is not a summary). */
export function hasSummary(node: ts.Node): boolean {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  return docs.some((d) => (ts.getTextOfJSDocComment(d.comment) ?? '').trim().length > 0);
}

const nameOf = (node: ts.Node): string => {
  const name = (node as { name?: ts.Node }).name;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return name ? name.getText() : ts.SyntaxKind[node.kind];
};

const isHidden = (member: ts.ClassElement): boolean => {
  if (member.name && ts.isPrivateIdentifier(member.name)) return true;
  const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
  return modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
};

export function checkDocCoverage(fileName: string, text: string): CoverageReport {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const undocumented: Undocumented[] = [];
  const classMembers = new Map<string, string[]>();
  const classes = new Map<string, ts.ClassDeclaration>();
  let checked = 0;
  const require = (node: ts.Node, name: string, documented = hasSummary(node)) => {
    checked++;
    if (!documented) undocumented.push({ name, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  /** Property signatures of every object type inside `node` (parameters' option objects, results, namespaces). */
  const objectFields = (node: ts.Node, owner: string) => {
    const visit = (n: ts.Node, path: string) => {
      if (ts.isTypeLiteralNode(n)) {
        for (const member of n.members) {
          if (!ts.isPropertySignature(member) && !ts.isMethodSignature(member)) continue;
          const memberPath = `${path}.${nameOf(member)}`;
          require(member, memberPath);
          if (member.type) visit(member.type, memberPath);
        }
        return;
      }
      ts.forEachChild(n, (c) => visit(c, ts.isParameter(n) ? `${path}.${n.name.getText()}` : path));
    };
    visit(node, owner);
  };

  const statements = source.statements.flatMap((s) =>
    ts.isModuleDeclaration(s) && s.body && ts.isModuleBlock(s.body) ? [...s.body.statements] : [s]);
  for (const statement of statements) if (ts.isClassDeclaration(statement) && statement.name) classes.set(statement.name.text, statement);

  /** The comment an overriding member inherits: the same-named member of a base class, if that one has one. */
  const inheritsDoc = (cls: ts.ClassDeclaration, member: string): boolean => {
    const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression.getText();
    const parent = base === undefined ? undefined : classes.get(base);
    if (!parent) return false;
    const same = parent.members.find((m) => !ts.isConstructorDeclaration(m) && m.name?.getText() === member);
    return same !== undefined ? hasSummary(same) || inheritsDoc(parent, member) : inheritsDoc(parent, member);
  };

  for (const statement of statements) {
    if (ts.isFunctionDeclaration(statement)) {
      require(statement, `function ${nameOf(statement)}`);
      objectFields(statement, nameOf(statement));
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      const cls = statement.name.text;
      require(statement, `class ${cls}`);
      classMembers.set(cls, statement.members.filter((m) => !isHidden(m)).map((m) => nameOf(m)));
      for (const member of statement.members) {
        if (isHidden(member) || ts.isIndexSignatureDeclaration(member) || ts.isClassStaticBlockDeclaration(member) || ts.isSemicolonClassElement(member)) continue;
        const name = nameOf(member);
        require(member, `${cls}.${name}`, hasSummary(member) || (!ts.isConstructorDeclaration(member) && inheritsDoc(statement, name)));
        objectFields(member, `${cls}.${name}`);
      }
    } else if (ts.isInterfaceDeclaration(statement)) {
      const iface = statement.name.text;
      require(statement, `interface ${iface}`);
      for (const member of statement.members) {
        if (ts.isPropertySignature(member) || ts.isMethodSignature(member)) require(member, `${iface}.${nameOf(member)}`);
        objectFields(member, `${iface}.${nameOf(member)}`);
      }
    } else if (ts.isTypeAliasDeclaration(statement)) {
      const exported = (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (exported) require(statement, `type ${statement.name.text}`);
      objectFields(statement, statement.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        require(statement, `const ${declaration.name.getText()}`);
        if (declaration.type) objectFields(declaration.type, declaration.name.getText());
      }
    }
  }
  return { checked, undocumented, classMembers };
}

/** Internals that must not reach users' completions, by class (issue #20 names the GradientTape ones). */
export const INTERNAL_MEMBERS: Record<string, string[]> = {
  GradientTape: ['pausedDepth', 'watchedIds', 'nodes', 'childTapeIds', 'gradientCalls', 'parentTapeId', 'watchedTensors',
    'forwardLog', 'noteVariableAccess', 'reachableFrom', 'id'],
  Variable: ['writableValues', 'snapshot'],
  Tensor: ['values'],
  TrainableModel: ['compiled'],
  Model: ['compiled', 'nodes', 'graphLayers'],
  Sequential: ['compiled', 'stack'],
  Layer: ['ownWeights'],
  Optimizer: ['slotBuffers'],
};
