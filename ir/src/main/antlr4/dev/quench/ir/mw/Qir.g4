// The Quench middleware: a textual, diffable form of the IR (see MiddlewarePrinter for the layout).
grammar Qir;

module_     : 'quench-ir' INT graphDecl weightsDecl? item* EOF ;
graphDecl   : 'graph' STRING 'opset' INT ;
weightsDecl : 'weights' STRING 'bytes' INT 'sha256' STRING ;

item        : inputDecl | constDecl | nodeDecl | outputDecl ;
inputDecl   : 'input' valueDecl ;
constDecl   : kind=('param' | 'const') valueDecl '=' data ;
outputDecl  : 'output' ref ;
nodeDecl    : 'node' opName=ID STRING ('opset' INT)? '(' (operand (',' operand)*)? ')'
              '->' '(' result (',' result)* ')' attrs? ;

operand     : ref | '_' ;
result      : valueDecl | '_' ;
ref         : REF ;
valueDecl   : ref ':' type qparams? arena? ;
type        : dtype=ID '[' (INT (',' INT)*)? ']' ;
qparams     : 'q' '(' attr (',' attr)* ')' ;
arena       : '@' INT ;
data        : 'bin' '(' INT ',' INT ')'           # binData
            | '[' (number (',' number)*)? ']'      # inlineData
            ;
attrs       : '{' attr (',' attr)* '}' ;
attr        : ID '=' attrValue ;
attrValue   : number                                    # scalarValue
            | STRING                                    # stringValue
            | '[' (attrValue (',' attrValue)*)? ']'     # listValue
            | 'floats' '[' ']'                          # emptyFloats
            | 'tensor' '(' type ',' data ')'            # tensorValue
            ;
number      : INT | FLOAT ;

INT         : '-'? [0-9]+ ;
FLOAT       : '-'? [0-9]+ '.' [0-9]+ ([eE] '-'? [0-9]+)?
            | '-'? 'Infinity' | 'NaN' ;
ID          : [a-zA-Z_] [a-zA-Z0-9_]* ;
REF         : '%' [a-zA-Z0-9_.\-/]+ | '%' STRING ;
STRING      : '"' (~["\\\r\n] | '\\' .)* '"' ;
COMMENT     : '//' ~[\r\n]* -> skip ;
WS          : [ \t\r\n]+ -> skip ;
