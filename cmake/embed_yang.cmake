# Writes OUT: a C++ file defining sabina::config::kBuiltinYang, the text of every YANG module
# in YANG_DIR, so the daemon needs no schema files at run time.
file(GLOB modules ${YANG_DIR}/*.yang)
list(SORT modules)
set(body "")
foreach(m ${modules})
  get_filename_component(name ${m} NAME_WE)
  file(READ ${m} text)
  string(APPEND body "    {\"${name}\", R\"sabina_yang(${text})sabina_yang\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from yang/*.yang by cmake/embed_yang.cmake. Do not edit.\n#include \"config/builtin_yang.h\"\n\nnamespace sabina::config {\n\nconst std::vector<BuiltinYang>& BuiltinYangModules() {\n  static const std::vector<BuiltinYang> kModules = {\n${body}  };\n  return kModules;\n}\n\n}  // namespace sabina::config\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
